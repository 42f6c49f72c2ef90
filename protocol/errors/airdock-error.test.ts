import { describe, expect, it } from 'vitest';
import { ConfigValidationError, ConnectorExitError, ConnectorFailedError, ConnectorNotFoundError, isAirdockError } from './index.js';

describe('AirdockError', () => {
  it('has a stable code, failure type, retry flag, hint and cause, and serialises to JSON', () => {
    const cause = new Error('ECONNRESET');
    const e = new ConnectorExitError('The connector exited with a non-zero code', { cause, context: { exitCode: 137, oomKilled: true } });
    expect(isAirdockError(e)).toBe(true);
    expect(e).toBeInstanceOf(Error);
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toMatchObject({ code: 'AIRDOCK_CONNECTOR_EXIT', failureType: 'transient_error', retryable: true, context: { exitCode: 137 }, cause: { message: 'ECONNRESET' } });
    expect(e.describe()).toBe('AIRDOCK_CONNECTOR_EXIT: The connector exited with a non-zero code (exitCode=137, oomKilled=true). The container ran out of memory; raise its memory limit');
  });

  it('takes the retry decision from a TRACE failure_type', () => {
    expect(new ConnectorFailedError('rate limited', 'transient_error').retryable).toBe(true);
    expect(new ConnectorFailedError('bad key', 'config_error').retryable).toBe(false);
    expect(new ConnectorFailedError('?', undefined).failureType).toBe('system_error');
  });

  it('lists validation issues and suggestions', () => {
    const e = new ConfigValidationError([{ path: '/host', message: 'is required' }, { path: '/port', message: 'must be integer (got string)' }]);
    expect(e.message).toBe("The config does not match the connector's spec: /host is required; /port must be integer (got string)");
    expect(new ConnectorNotFoundError('source-postgress', ['source-postgres']).describe()).toContain('Did you mean source-postgres?');
  });
});
