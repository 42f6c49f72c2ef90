import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import { SourceConfigError } from '../../protocol/index.js';
import type { PostgresSourceConfig, SslModeConfig } from './postgres-config.js';

/**
 * Session settings every connection gets, so values come out in one known text form whatever the
 * server's defaults are (dates ISO, timestamps with time zone in UTC, bytea as hex, floats exact).
 */
export const SESSION_OPTIONS = '-c DateStyle=ISO,MDY -c TimeZone=UTC -c IntervalStyle=postgres -c bytea_output=hex -c extra_float_digits=3 -c client_encoding=UTF8';

/** JDBC URL parameters we honour, each mapped to its libpq / node-postgres equivalent. */
const JDBC_PARAMS = [
  'ApplicationName', 'applicationName', 'connectTimeout', 'loginTimeout', 'options', 'currentSchema', 'sslmode', 'ssl',
  'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'tcpKeepAlive', 'socketTimeout',
  // JDBC-only knobs with no meaning here (statement caching, parameter typing, batching): accepted as no-ops.
  'prepareThreshold', 'stringtype', 'reWriteBatchedInserts', 'defaultRowFetchSize', 'preparedStatementCacheQueries',
] as const;

export interface ConnectionTarget { host: string; port: number }

export interface ResolvedConnection {
  /** Options for pg.Client / pg.Pool, without host and port. */
  base: ClientConfig;
  /** When the SSL mode is `prefer`: retry without SSL if the server has none. */
  sslFallback: boolean;
  primary: ConnectionTarget;
  /** Where table data is read from: the replica when configured, else the primary. */
  reads: ConnectionTarget;
}

/** Turns the official config into node-postgres options; config errors for what we cannot honour. */
export function resolveConnection(c: PostgresSourceConfig): ResolvedConnection {
  if (c.tunnel_method && c.tunnel_method.tunnel_method !== 'NO_TUNNEL') {
    throw new SourceConfigError('SSH tunnels are not supported yet', {
      context: { tunnel_method: c.tunnel_method.tunnel_method },
      hint: 'Use tunnel_method NO_TUNNEL and open the tunnel yourself (ssh -L), then point host/port at it',
    });
  }
  if (c.entra_service_principal_auth) {
    throw new SourceConfigError('Microsoft Entra service principal authentication is not supported yet', { hint: 'Use a password login' });
  }
  const params = parseJdbcParams(c.jdbc_url_params);
  const sslMode = (params.sslmode ?? (params.ssl === 'true' ? 'require' : undefined) ?? c.ssl_mode?.mode ?? 'prefer') as SslModeConfig['mode'];
  const ssl = sslOptions(sslMode, c.ssl_mode, params);
  const options = [SESSION_OPTIONS];
  if (params.options) options.push(params.options);
  if (params.currentSchema) options.push(`-c search_path=${params.currentSchema}`);
  if (c.statement_timeout_ms !== undefined) options.push(`-c statement_timeout=${c.statement_timeout_ms}`);
  const connectSeconds = Number(params.connectTimeout ?? params.loginTimeout ?? 10);
  const base: ClientConfig = {
    database: c.database,
    user: c.username,
    ...(c.password !== undefined ? { password: c.password } : {}),
    application_name: params.ApplicationName ?? params.applicationName ?? 'airdock-source-postgres',
    options: options.join(' '),
    connectionTimeoutMillis: connectSeconds > 0 ? connectSeconds * 1000 : 0,
    keepAlive: params.tcpKeepAlive !== 'false',
    ...(ssl === false ? { ssl: false } : { ssl }),
  };
  const primary = { host: c.host, port: c.port ?? 5432 };
  const reads = c.read_replica?.host ? { host: c.read_replica.host, port: c.read_replica.port ?? 5432 } : primary;
  return { base, sslFallback: sslMode === 'prefer', primary, reads };
}

function parseJdbcParams(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text || text.trim() === '') return out;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1));
    if (!(JDBC_PARAMS as readonly string[]).includes(key)) {
      throw new SourceConfigError('jdbc_url_params has a parameter airdock does not support', {
        context: { parameter: key },
        hint: `Remove it; supported: ${JDBC_PARAMS.join(', ')}`,
      });
    }
    out[key] = value;
  }
  return out;
}

type SslOptions = false | { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string; passphrase?: string; checkServerIdentity?: () => undefined };

function sslOptions(mode: SslModeConfig['mode'], c: SslModeConfig | undefined, params: Record<string, string>): SslOptions {
  if (mode === 'disable' || mode === 'allow') return false; // allow: libpq tries plain first, and so do we
  const fromFile = (path: string | undefined) => (path ? readFileSync(path, 'utf8') : undefined);
  const ca = c?.ca_certificate ?? fromFile(params.sslrootcert);
  const cert = c?.client_certificate ?? fromFile(params.sslcert);
  const key = c?.client_key ?? fromFile(params.sslkey);
  const passphrase = c?.client_key_password ?? params.sslpassword;
  const client = { ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(passphrase ? { passphrase } : {}) };
  if (mode === 'prefer' || mode === 'require') return { rejectUnauthorized: false, ...client };
  if (!ca) throw new SourceConfigError('ssl_mode verify-ca and verify-full need a CA certificate', { hint: 'Set ssl_mode.ca_certificate' });
  // verify-ca checks the chain but not the host name, as libpq does.
  return { rejectUnauthorized: true, ca, ...client, ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}) };
}
