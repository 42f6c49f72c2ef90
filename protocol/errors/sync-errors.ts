import { AirdockError } from './airdock-error.js';
import type { AirdockErrorOptions, FailureType } from './airdock-error.js';

export abstract class SyncError extends AirdockError {
  readonly family = 'sync' as const;
}

/** The run was interrupted (Ctrl-C, SIGTERM, an AbortSignal). The CLI exits 130. */
export class AbortedError extends SyncError {
  readonly code = 'AIRDOCK_ABORTED';
  readonly failureType: FailureType = 'system_error';
  readonly retryable = false;
}

/**
 * A sync attempt (or all of them) failed. `origin` says which side, `failureType` comes from the
 * connector's TRACE ERROR (or transient for a crash without one), `cause` is the underlying error,
 * and `lastLogLines` the connector's last log/stderr lines. Counts go in the context.
 */
export class SyncFailedError extends SyncError {
  readonly code = 'AIRDOCK_SYNC_FAILED';
  readonly failureType: FailureType;
  readonly retryable: boolean;
  readonly origin: 'source' | 'destination' | 'runtime';
  readonly lastLogLines: readonly string[];
  constructor(message: string, init: { origin: 'source' | 'destination' | 'runtime'; failureType: FailureType; retryable: boolean; lastLogLines?: readonly string[] }, options: AirdockErrorOptions = {}) {
    super(message, { ...options, context: { origin: init.origin, failureType: init.failureType, ...options.context } });
    this.origin = init.origin;
    this.failureType = init.failureType;
    this.retryable = init.retryable;
    this.lastLogLines = init.lastLogLines ?? [];
  }
  protected override defaultHint() {
    return this.failureType === 'config_error'
      ? `The ${this.origin} rejected its config; fix the connection file and run again`
      : 'Run again to resume from the committed state; the last log lines are above';
  }
  override toJSON() { return { ...super.toJSON(), origin: this.origin, lastLogLines: this.lastLogLines }; }
}
