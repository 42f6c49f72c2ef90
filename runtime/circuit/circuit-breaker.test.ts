import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitRecord } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  const setup = () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const b = new CircuitBreaker({ failureThreshold: 3, recoveryTimeoutMs: 60_000 }, () => t);
    return { b, advance: (ms: number) => { t += ms; } };
  };
  const transient = { failureType: 'transient_error', code: 'AIRDOCK_SYNC_FAILED' };

  it('opens after failure_threshold consecutive failures, fails fast until the timeout, then lets one trial through', () => {
    const { b, advance } = setup();
    let r: CircuitRecord = b.admit().record;
    r = b.failed(r, transient);
    r = b.failed(r, transient);
    expect(r).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    expect(b.admit(r)).toMatchObject({ run: true, trial: false });
    r = b.failed(r, transient);
    expect(r).toMatchObject({ state: 'open', consecutiveFailures: 3, openedAt: '2026-01-01T00:00:00.000Z', retryAt: '2026-01-01T00:01:00.000Z' });
    advance(59_999);
    expect(b.admit(r)).toMatchObject({ run: false });
    advance(1);
    const trial = b.admit(r);
    expect(trial).toMatchObject({ run: true, trial: true, record: { state: 'half_open' } });
    // The trial fails: open again for a whole timeout, from now.
    r = b.failed(trial.record, transient);
    expect(r).toMatchObject({ state: 'open', consecutiveFailures: 4, retryAt: '2026-01-01T00:02:00.000Z' });
    advance(60_000);
    expect(b.succeeded()).toEqual({ state: 'closed', consecutiveFailures: 0 });
  });

  it('a success in between starts the count over', () => {
    const { b } = setup();
    let r = b.failed(b.failed(b.admit().record, transient), transient);
    r = b.succeeded();
    r = b.failed(b.failed(r, transient), transient);
    expect(r).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
  });

  it('a config_error opens it at once', () => {
    const { b } = setup();
    expect(b.failed(b.admit().record, { failureType: 'config_error' })).toMatchObject({ state: 'open', consecutiveFailures: 1, lastFailure: { failureType: 'config_error' } });
  });

  it('a half-open circuit whose trial never reported back lets another trial through', () => {
    const { b } = setup();
    expect(b.admit({ state: 'half_open', consecutiveFailures: 3 })).toMatchObject({ run: true, trial: true });
  });
});
