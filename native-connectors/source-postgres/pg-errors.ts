import {
  SourceAccessError, SourceConfigError, SourceQueryError, SourceUnavailableError, isAirdockError,
} from '../../protocol/index.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Maps what node-postgres throws to a typed error with the right failure_type. Messages are ours;
 * the server's own text goes to `context.detail` only where it cannot echo a credential.
 */
export function toSourceError(error: unknown, what: string): Error {
  if (isAirdockError(error)) return error as Error;
  const e = error as { code?: string; message?: string; routine?: string };
  const sqlstate = typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
  const detail = typeof e?.message === 'string' ? e.message.slice(0, 300) : String(error);
  const context = { operation: what, ...(sqlstate ? { sqlstate } : {}) };
  if (sqlstate === '28P01' || sqlstate === '28000') {
    return new SourceAccessError('The database rejected the user name or password', { cause: error, context, hint: 'Check username and password (and pg_hba.conf on the server)' });
  }
  if (sqlstate === '3D000') return new SourceAccessError('The database does not exist', { cause: error, context, hint: 'Check the database name in the config' });
  if (sqlstate === '3F000') return new SourceAccessError('A configured schema does not exist', { cause: error, context: { ...context, detail }, hint: 'Check the schemas list in the config' });
  if (sqlstate === '42501') {
    return new SourceAccessError('The user lacks a privilege the read needs', {
      cause: error, context: { ...context, detail }, hint: 'GRANT USAGE ON SCHEMA <schema> TO <user>; GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO <user>;',
    });
  }
  if (sqlstate === '57014') {
    return new SourceUnavailableError('A statement was cancelled (statement timeout or an operator)', { cause: error, context, hint: 'Raise statement_timeout_ms (or the server setting); the sync resumes from the last state' });
  }
  if (sqlstate?.startsWith('08') || sqlstate?.startsWith('57P') || sqlstate === '53300' || sqlstate === '40001' || sqlstate === '40P01') {
    return new SourceUnavailableError('The database connection failed or was closed', { cause: error, context: { ...context, detail } });
  }
  if (sqlstate === '42P01' || sqlstate === '42703') {
    return new SourceConfigError('A table or column the catalog names no longer exists', { cause: error, context: { ...context, detail }, hint: 'Run discover again and update the catalog' });
  }
  const code = (error as { code?: string })?.code;
  if ((code && NETWORK_CODES.has(code)) || /Connection terminated|timeout expired|Client has encountered a connection error|Connection ended/i.test(detail)) {
    return new SourceUnavailableError('The database could not be reached or the connection was lost', { cause: error, context: { ...context, ...(code && !sqlstate ? { errno: code } : {}) } });
  }
  return new SourceQueryError('The database refused a query', { cause: error, context: { ...context, detail } });
}
