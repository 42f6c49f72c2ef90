import { ConnectorError } from './connector-errors.js';

/**
 * The database or service a native connector talks to refused or failed a request. Context carries
 * safe facts only (`service`, the server's error code and name, what the connector was doing); the
 * server's own message is kept in `detail` with the password masked. Connectors choose the class
 * from the server's error code, so the failure type says whether a retry can help.
 */
export abstract class ServiceError extends ConnectorError {}

/** The credentials were refused (wrong user or password, user not allowed from this address). */
export class ServiceAuthError extends ServiceError {
  readonly code = 'AIRDOCK_SERVICE_AUTH';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Check the username and password in the config'; }
}

/** A database, table or other object named by the config does not exist. */
export class ServiceNotFoundError extends ServiceError {
  readonly code = 'AIRDOCK_SERVICE_NOT_FOUND';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Create it first, or fix its name in the config'; }
}

/** A setting given in the config is unknown to the server or has a value it rejects. */
export class ServiceSettingError extends ServiceError {
  readonly code = 'AIRDOCK_SERVICE_SETTING';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Remove or rename the setting in the config (the server lists the settings it knows)'; }
}

/** The service could not be reached, timed out or asked us to slow down: a retry can help. */
export class ServiceUnavailableError extends ServiceError {
  readonly code = 'AIRDOCK_SERVICE_UNAVAILABLE';
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'Check that the service is up and reachable; the sync resumes from the last committed state'; }
}

/** The server ran out of a resource (memory) for this request. */
export class ServiceResourceError extends ServiceError {
  readonly code = 'AIRDOCK_SERVICE_RESOURCE';
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'Lower the batch size in the config or raise the server limit'; }
}

/** Any other failure the server reported for a query. */
export class ServiceQueryError extends ServiceError {
  readonly code = 'AIRDOCK_SERVICE_QUERY';
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
}
