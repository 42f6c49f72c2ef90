import {
  ServiceAuthError, ServiceNotFoundError, ServiceQueryError, ServiceResourceError, ServiceSettingError, ServiceUnavailableError,
  isAirdockError, type ServiceError,
} from '../../../protocol/index.js';

// ClickHouse error codes (src/Common/ErrorCodes.cpp) grouped by what the user can do about them.
// UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, IP_ADDRESS_NOT_ALLOWED, READONLY, ACCESS_DENIED, AUTHENTICATION_FAILED
const AUTH = new Set([192, 193, 194, 195, 164, 497, 516]);
const NOT_FOUND = new Set([81, 60]); // UNKNOWN_DATABASE, UNKNOWN_TABLE
const SETTING = new Set([115, 452]); // UNKNOWN_SETTING, SETTING_CONSTRAINT_VIOLATION
const TRANSIENT = new Set([
  3, 159, 202, 203, 209, 210, 236, 242, 252, 285, 319, 394, 425, 439, 999,
  // UNEXPECTED_END_OF_FILE, TIMEOUT_EXCEEDED, TOO_MANY_SIMULTANEOUS_QUERIES, NO_FREE_CONNECTION,
  // SOCKET_TIMEOUT, NETWORK_ERROR, ABORTED, TABLE_IS_READ_ONLY, TOO_MANY_PARTS, TOO_FEW_LIVE_REPLICAS,
  // UNKNOWN_STATUS_OF_INSERT, QUERY_WAS_CANCELLED, SYSTEM_ERROR, CANNOT_SCHEDULE_TASK, KEEPER_EXCEPTION
]);
const RESOURCE = new Set([241, 173]); // MEMORY_LIMIT_EXCEEDED, CANNOT_ALLOCATE_MEMORY
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/**
 * Turns what @clickhouse/client threw into a typed airdock error whose failure type says whether a retry
 * helps. The server's message goes into `detail`, shortened and with the password masked (ClickHouse does
 * not echo passwords, but a setting value or a URL might carry one).
 */
export function toServiceError(error: unknown, o: { password?: string; doing: string; setting?: string }): ServiceError {
  if (isAirdockError(error)) return error as ServiceError;
  const e = error as { code?: unknown; type?: unknown; message?: unknown; name?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const masked = mask(message, o.password);
  const detail = masked.slice(0, 400);
  // The cause is serialised with the error (toJSON): it must not carry the password either.
  if (masked !== message) error = Object.assign(new Error(masked), { code: e.code, type: e.type });
  // Servers before 19.x answer `Code: 60, e.displayText() = DB::Exception: ...`, which the client does not parse.
  const oldFormat = /^Code: (\d+), e\.displayText\(\)/.exec(message);
  const serverCode = typeof e?.code === 'string' && /^\d+$/.test(e.code) ? Number(e.code) : oldFormat ? Number(oldFormat[1]) : undefined;
  const context = { service: 'clickhouse', doing: o.doing, ...(serverCode !== undefined ? { serverCode, serverError: String(e.type ?? '') } : {}), detail };
  if (serverCode !== undefined) {
    if (AUTH.has(serverCode)) return new ServiceAuthError('ClickHouse refused the credentials or the permission', { cause: error, context });
    if (NOT_FOUND.has(serverCode)) return new ServiceNotFoundError('A ClickHouse database or table does not exist', { cause: error, context });
    if (SETTING.has(serverCode)) {
      const setting = o.setting ?? /setting '?([A-Za-z0-9_]+)'?/i.exec(message)?.[1];
      return new ServiceSettingError('ClickHouse does not accept a setting from the config', { cause: error, context: { ...context, ...(setting ? { setting } : {}) } });
    }
    if (RESOURCE.has(serverCode)) return new ServiceResourceError('ClickHouse ran out of memory for a request', { cause: error, context });
    if (TRANSIENT.has(serverCode)) return new ServiceUnavailableError('ClickHouse is busy or unavailable', { cause: error, context });
    return new ServiceQueryError('ClickHouse failed a query', { cause: error, context });
  }
  const netCode = typeof e?.code === 'string' ? e.code : undefined;
  if ((netCode && NETWORK.has(netCode)) || /socket hang up|Timeout error|ECONNREFUSED|ECONNRESET/i.test(message)) {
    return new ServiceUnavailableError('ClickHouse could not be reached', { cause: error, context: { ...context, ...(netCode ? { networkError: netCode } : {}) } });
  }
  return new ServiceQueryError('ClickHouse failed a query', { cause: error, context });
}

function mask(text: string, secret: string | undefined): string {
  return secret && secret.length >= 3 ? text.split(secret).join('**********') : text;
}
