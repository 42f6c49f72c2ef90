import { AirdockError } from './airdock-error.js';
import type { FailureType } from './airdock-error.js';

export abstract class SyncError extends AirdockError {
  readonly family = 'sync' as const;
}

/** The run was interrupted (Ctrl-C, SIGTERM, an AbortSignal). The CLI exits 130. */
export class AbortedError extends SyncError {
  readonly code = 'AIRDOCK_ABORTED';
  readonly failureType: FailureType = 'system_error';
  readonly retryable = false;
}
