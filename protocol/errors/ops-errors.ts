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
