import { AirdockError } from './airdock-error.js';

/**
 * Failures of running airdock unattended: its metrics outputs, the circuit breaker, `airdock serve`.
 * They belong to no connector: the sync family.
 */
export abstract class OpsError extends AirdockError {
  readonly family = 'sync' as const;
}

/** The metrics could not be written (`--metrics-file`) or pushed (`--metrics-push`). The sync's own result stands. */
export class MetricsOutputError extends OpsError {
  readonly code = 'AIRDOCK_METRICS_OUTPUT';
  readonly failureType = 'system_error' as const;
  readonly retryable = true;
  protected override defaultHint() {
    return 'The sync itself ran (see its summary); check the metrics path or the Pushgateway address';
  }
}

/** The connection's circuit breaker is open: the sync fails fast, before any connector runs. */
export class CircuitOpenError extends OpsError {
  readonly code = 'AIRDOCK_CIRCUIT_OPEN';
  readonly failureType = 'transient_error' as const;
  readonly retryable = false;
  protected override defaultHint() {
    return 'It lets one trial sync through after retryAt; once the cause is fixed, `airdock circuit reset <connection>` lets the next sync run now';
  }
}

/** Another `airdock serve` holds one of the state stores this server would use. */
export class ServeLockedError extends OpsError {
  readonly code = 'AIRDOCK_SERVE_LOCKED';
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
  protected override defaultHint() {
    return 'Run one server per state store; stop the other one (pid and host above), or give this one other connections';
  }
}

/** `airdock serve` cannot listen on the address it was given. */
export class ServeListenError extends OpsError {
  readonly code = 'AIRDOCK_SERVE_LISTEN';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() {
    return 'Pick another --port (EADDRINUSE: something listens there already) or --host';
  }
}
