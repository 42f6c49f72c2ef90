/** How a connection's breaker is set in its file (`circuit_breaker:`). */
export interface CircuitSettings {
  /** Consecutive failed syncs that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails syncs fast before it lets one trial sync through. */
  recoveryTimeoutMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/** What the state store keeps per connection (JSON), so every process sees the same breaker. */
export interface CircuitRecord {
  state: CircuitState;
  consecutiveFailures: number;
  /** ISO times: when it last opened, when an open circuit lets a trial through. */
  openedAt?: string;
  retryAt?: string;
  /** The failure that counted last (code and failure type only: messages may carry data). */
  lastFailure?: { at: string; failureType: string; code?: string };
}

export const CLOSED: CircuitRecord = { state: 'closed', consecutiveFailures: 0 };

export type Admission = { run: true; trial: boolean; record: CircuitRecord } | { run: false; record: CircuitRecord };

/**
 * The breaker's decisions, with no I/O and an injectable clock (its unit test is the only place with a
 * fake one). Closed: syncs run, failures are counted. Open: syncs fail fast until `retryAt`. Then
 * half-open: one trial sync runs; success closes the circuit, failure opens it for another timeout.
 * A config_error opens it at once: running the same config again cannot help.
 */
export class CircuitBreaker {
  constructor(readonly settings: CircuitSettings, readonly now: () => number = Date.now) {}

  /** Whether a sync may run now; a circuit past its timeout becomes half-open (the trial). */
  admit(record: CircuitRecord = CLOSED): Admission {
    if (record.state === 'closed') return { run: true, trial: false, record };
    const retryAt = record.retryAt ? Date.parse(record.retryAt) : 0;
    if (record.state === 'open' && this.now() < retryAt) return { run: false, record };
    // Half-open already (a trial that never reported back, e.g. killed): another trial is the way on.
    return { run: true, trial: true, record: { ...record, state: 'half_open' } };
  }

  succeeded(): CircuitRecord {
    return CLOSED;
  }

  failed(record: CircuitRecord, failure: { failureType: string; code?: string }): CircuitRecord {
    const at = this.now();
    const consecutiveFailures = record.consecutiveFailures + 1;
    const lastFailure = { at: new Date(at).toISOString(), failureType: failure.failureType, ...(failure.code ? { code: failure.code } : {}) };
    const opens = record.state === 'half_open' || failure.failureType === 'config_error' || consecutiveFailures >= this.settings.failureThreshold;
    if (!opens) return { state: 'closed', consecutiveFailures, lastFailure };
    return {
      state: 'open', consecutiveFailures, lastFailure,
      openedAt: new Date(at).toISOString(), retryAt: new Date(at + this.settings.recoveryTimeoutMs).toISOString(),
    };
  }
}
