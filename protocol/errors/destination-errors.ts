import { AirdockError } from './airdock-error.js';
import type { FailureType } from './airdock-error.js';

/** A destination could not store what it was given. Raised inside destination connectors. */
export abstract class DestinationError extends AirdockError {
  readonly family = 'connector' as const;
}

/**
 * Writing or syncing the destination's files failed (disk full, read-only, permissions). Nothing
 * after the last acknowledged STATE was acknowledged, so a rerun resumes without loss.
 * `context.osCode` holds the OS reason (ENOSPC, EACCES, EROFS, ...).
 */
export class DestinationWriteError extends DestinationError {
  readonly code = 'AIRDOCK_DESTINATION_WRITE';
  readonly failureType: FailureType = 'system_error';
  readonly retryable = false;
  protected override defaultHint() {
    const os = this.context.osCode;
    if (os === 'ENOSPC' || os === 'EDQUOT') return 'Free space on the destination disk, then run again: the sync resumes from the last acknowledged state';
    if (os === 'EACCES' || os === 'EPERM' || os === 'EROFS') return 'Make the destination path writable, then run again';
    return 'Fix the cause above, then run again: the sync resumes from the last acknowledged state';
  }
}
