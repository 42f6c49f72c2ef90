import { AirdockError } from './airdock-error.js';

/**
 * Errors a native source raises about the system it reads (a database, a bucket, a broker). They are
 * connector-side, so their failure_type travels in the TRACE ERROR the SDK prints. Messages stay
 * static; `context` carries safe facts such as a SQLSTATE, a schema or a table name, never a
 * password, a host name or a value read from the data.
 */
abstract class SourceError extends AirdockError {
  readonly family = 'connector' as const;
}

/** Credentials rejected, database or schema unknown, a privilege missing: the user must act. */
export class SourceAccessError extends SourceError {
  readonly code = 'AIRDOCK_SOURCE_ACCESS';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Check the user, password, database and grants in the config'; }
}

/** The config passes the spec but cannot be used as written (an unsupported option, a bad cursor). */
export class SourceConfigError extends SourceError {
  readonly code = 'AIRDOCK_SOURCE_CONFIG';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
}

/** The source was unreachable, went away mid-read, or timed out: a retry resumes from the last state. */
export class SourceUnavailableError extends SourceError {
  readonly code = 'AIRDOCK_SOURCE_UNAVAILABLE';
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'The sync retries from the last committed state; check that the server is up and reachable'; }
}

/** The saved state cannot be continued from (e.g. the change log it points into is gone). */
export class SourceStateError extends SourceError {
  readonly code = 'AIRDOCK_SOURCE_STATE';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Reset the connection state (`airdock state clear`) to start over with a full sync'; }
}

/** The source refused a query for a reason not covered above. */
export class SourceQueryError extends SourceError {
  readonly code = 'AIRDOCK_SOURCE_QUERY';
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
}
