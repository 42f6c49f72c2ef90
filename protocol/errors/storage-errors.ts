import { ConnectorError } from './connector-errors.js';

/**
 * An object store (S3 or compatible) refused what we asked: the bucket does not exist, the
 * credentials are wrong or lack a permission. Retrying cannot help; the config must change.
 */
export class ObjectStoreAccessError extends ConnectorError {
  readonly code = 'AIRDOCK_OBJECT_STORE_ACCESS';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() {
    return 'Check the bucket name, region, endpoint and credentials, and that they may list, read and write the bucket';
  }
}

/** A request to the object store failed in a way a retry can fix (network, throttling, 5xx). */
export class ObjectStoreRequestError extends ConnectorError {
  readonly code = 'AIRDOCK_OBJECT_STORE_REQUEST';
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'Check that the endpoint is reachable; the sync resumes from its last committed state'; }
}

/**
 * Files could not be parsed in the configured format (bad CSV rows, broken JSON lines, a corrupt
 * Parquet or Avro file). The other files were still read; the context names the first bad file.
 */
export class FileFormatError extends ConnectorError {
  readonly code = 'AIRDOCK_FILE_FORMAT';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return "Fix the files or the stream's format options (delimiter, encoding, header), or change the globs"; }
}
