import pg from 'pg';
import { DestinationAccessError, DestinationConnectionError, DestinationWriteError, isAirdockError } from '../../protocol/index.js';
import type { PostgresOptions } from './postgres-config.js';

const ACCESS = new Set(['28P01', '28000', '3D000', '42501', '3F000', '42P06']);
const CONNECTION_STATES = /^(08|57P0[123])/;
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/**
 * A failure as the typed error a user can act on, with the server's reason and SQLSTATE but never
 * the password (node-postgres never puts it in a message; the config is not in the context):
 * login refused, unknown database or missing privilege → config_error; a connection that cannot be
 * made or was lost → transient_error (the sync engine retries); disk full → ENOSPC.
 */
export function toDestinationError(error: unknown): unknown {
  if (isAirdockError(error)) return error;
  const e = error as { code?: string; message?: string; routine?: string };
  const reason = e.message ?? String(error);
  const code = e.code ?? '';
  if (ACCESS.has(code)) {
    const what = code === '42501' ? 'PostgreSQL refused an operation for lack of privilege'
      : code === '3D000' ? 'The PostgreSQL database does not exist'
      : code.startsWith('28') ? 'PostgreSQL refused the login'
      : 'PostgreSQL refused the request';
    return new DestinationAccessError(what, { cause: error, context: { sqlstate: code, reason } });
  }
  if (code === '53100') return new DestinationWriteError('PostgreSQL ran out of disk space', { cause: error, context: { sqlstate: code, osCode: 'ENOSPC', reason } });
  if (CONNECTION_STATES.test(code) || CONNECTION_CODES.has(code) || /Connection terminated|not queryable|Client was closed|terminating connection|timeout expired|connection timeout/i.test(reason)) {
    return new DestinationConnectionError('The connection to PostgreSQL failed or was lost', { cause: error, context: { code, reason } });
  }
  if (TLS_CODES.test(code) || /does not support SSL|SSL|certificate/i.test(reason)) {
    return new DestinationAccessError('The TLS connection to PostgreSQL failed', { cause: error, context: { code, reason }, hint: 'Check ssl_mode and the certificates (verify-full also checks the host name against the server certificate)' });
  }
  return error;
}

/** Connects with the first settings that work (sslmode allow/prefer try two), session in UTC. */
export async function connectPostgres(o: PostgresOptions): Promise<pg.Client> {
  let last: unknown;
  for (const attempt of o.attempts) {
    const client = new pg.Client(attempt.client);
    client.on('error', () => {}); // a lost connection surfaces as the failure of the running query
    try {
      await client.connect();
      await client.query("SET TimeZone = 'UTC'");
      return client;
    } catch (error) {
      last = error;
      await client.end().catch(() => {});
    }
  }
  throw toDestinationError(last);
}
