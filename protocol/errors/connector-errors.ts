import { AirdockError, type AirdockErrorOptions, type FailureType } from './airdock-error.js';

/** Which side of a sync a failure came from. */
export type FailureOrigin = 'source' | 'destination' | 'runtime';

/** A connector failed while running. Whether a retry helps depends on what it said. */
export abstract class ConnectorError extends AirdockError {
  readonly family = 'connector' as const;
}

/** The connector reported a TRACE ERROR. Its own failure_type decides the retry. */
export class ConnectorFailedError extends ConnectorError {
  readonly code = 'AIRDOCK_CONNECTOR_FAILED';
  readonly failureType: FailureType;
  readonly retryable: boolean;
  constructor(message: string, failureType: FailureType | undefined, options: AirdockErrorOptions = {}) {
    super(message, options);
    this.failureType = failureType ?? 'system_error';
    this.retryable = this.failureType === 'transient_error';
  }
  protected override defaultHint() {
    return this.failureType === 'config_error'
      ? 'The connector rejected its config; fix it and run again'
      : 'See the connector log lines above for details';
  }
}

/**
 * The process exited non-zero (or was killed) without telling us why in a TRACE ERROR.
 * The platform retries these, and so do we: most are crashes, OOMs or lost containers.
 */
export class ConnectorExitError extends ConnectorError {
  readonly code = 'AIRDOCK_CONNECTOR_EXIT';
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() {
    return this.context.oomKilled === true
      ? 'The container ran out of memory; raise its memory limit'
      : 'See the last stderr lines in the error context';
  }
}

export class ConnectorTimeoutError extends ConnectorError {
  readonly code = 'AIRDOCK_CONNECTOR_TIMEOUT';
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'Raise --timeout (or the heartbeat) if the connector is just slow'; }
}
