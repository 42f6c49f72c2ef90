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

/**
 * The destination refused access: login refused, unknown database, missing privilege, TLS
 * verification failed. `context` has the server's reason and SQLSTATE, never the password.
 */
export class DestinationAccessError extends DestinationError {
  readonly code = 'AIRDOCK_DESTINATION_ACCESS';
  readonly failureType: FailureType = 'config_error';
  readonly retryable = false;
  protected override defaultHint() {
    return 'Check the username, password, database and the grants (the destination needs CREATE and TEMPORARY on the database, or on an existing schema)';
  }
}

/** The destination could not be reached or dropped the connection; the sync engine retries. */
export class DestinationConnectionError extends DestinationError {
  readonly code = 'AIRDOCK_DESTINATION_CONNECTION';
  readonly failureType: FailureType = 'transient_error';
  readonly retryable = true;
  protected override defaultHint() {
    return 'Check that the server is up and reachable; the sync resumes from the last acknowledged state';
  }
}

/** A table's column cannot take the type the catalog now gives it (schema evolution). */
export class DestinationSchemaError extends DestinationError {
  readonly code = 'AIRDOCK_DESTINATION_SCHEMA';
  readonly failureType: FailureType = 'config_error';
  readonly retryable = false;
  protected override defaultHint() {
    return 'Change or drop that column (or the table), or refresh the stream with overwrite; nothing was written';
  }
}
