import { describe, expect, it } from 'vitest';
import { toServiceError } from './to-service-error.js';

// What @clickhouse/client throws: a ClickHouseError (code as a string, type), or a Node network error.
const server = (code: number, type: string, message: string) => Object.assign(new Error(message), { code: String(code), type });

describe('toServiceError', () => {
  it('maps ClickHouse error codes to failure types', () => {
    const cases: [unknown, string, string][] = [
      [server(516, 'AUTHENTICATION_FAILED', 'default: Authentication failed'), 'AIRDOCK_SERVICE_AUTH', 'config_error'],
      [server(81, 'UNKNOWN_DATABASE', 'Database x does not exist'), 'AIRDOCK_SERVICE_NOT_FOUND', 'config_error'],
      [server(115, 'UNKNOWN_SETTING', "Unknown setting 'foo'"), 'AIRDOCK_SERVICE_SETTING', 'config_error'],
      [server(252, 'TOO_MANY_PARTS', 'Too many parts (300)'), 'AIRDOCK_SERVICE_UNAVAILABLE', 'transient_error'],
      [server(241, 'MEMORY_LIMIT_EXCEEDED', 'Memory limit (for query) exceeded'), 'AIRDOCK_SERVICE_RESOURCE', 'transient_error'],
      [server(62, 'SYNTAX_ERROR', 'Syntax error'), 'AIRDOCK_SERVICE_QUERY', 'system_error'],
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'AIRDOCK_SERVICE_UNAVAILABLE', 'transient_error'],
    ];
    for (const [e, code, ft] of cases) {
      const m = toServiceError(e, { doing: 'test' });
      expect([m.code, m.failureType], String((e as Error).message)).toEqual([code, ft]);
    }
    expect(toServiceError(server(115, 'UNKNOWN_SETTING', "Unknown setting 'foo_bar'"), { doing: 'x' }).context.setting).toBe('foo_bar');
    // The message format of servers before 19.x, which the client leaves unparsed.
    const old = toServiceError(new Error('Code: 60, e.displayText() = DB::Exception: Table t.missing doesn\'t exist., e.what() = DB::Exception'), { doing: 'x' });
    expect([old.code, old.context.serverCode]).toEqual(['AIRDOCK_SERVICE_NOT_FOUND', 60]);
  });

  it('never carries the password, even if the server message held it', () => {
    const e = toServiceError(server(62, 'SYNTAX_ERROR', "near 's3cr3t-pw'"), { doing: 'x', password: 's3cr3t-pw' });
    expect(JSON.stringify(e.toJSON()) + e.describe()).not.toContain('s3cr3t-pw');
  });
});
