import { AirdockError, type AirdockErrorOptions } from './airdock-error.js';

/** One problem found when validating a document against a JSON schema. */
export interface ValidationIssue {
  /** JSON pointer into the validated document, e.g. `/record/data` ('' for the root). */
  path: string;
  message: string;
}

/** The user gave us something wrong. Retrying cannot help; exit code 2 from the CLI. */
export abstract class ConfigError extends AirdockError {
  readonly family = 'config' as const;
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
}

export class UsageError extends ConfigError {
  readonly code = 'AIRDOCK_USAGE';
  protected override defaultHint() { return 'Run with --help to see the expected arguments'; }
}

export class ConfigFileError extends ConfigError {
  readonly code = 'AIRDOCK_CONFIG_FILE';
  protected override defaultHint() { return 'Check that the file exists and is valid JSON or YAML'; }
}

export class MissingEnvVarError extends ConfigError {
  readonly code = 'AIRDOCK_CONFIG_ENV_MISSING';
  constructor(variable: string, options: AirdockErrorOptions = {}) {
    super('A ${VAR} reference names an environment variable that is not set', {
      ...options,
      context: { variable, ...options.context },
    });
  }
  protected override defaultHint() { return `Export ${String(this.context.variable)} or remove the reference`; }
}

/** Config does not match the connector's spec. `issues` lists every problem, secrets masked. */
export class ConfigValidationError extends ConfigError {
  readonly code = 'AIRDOCK_CONFIG_INVALID';
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], options: AirdockErrorOptions = {}) {
    super(`The config does not match the connector's spec: ${formatIssues(issues)}`, {
      ...options,
      context: { issueCount: issues.length, ...options.context },
    });
    this.issues = issues;
  }
  protected override defaultHint() { return 'Fix the listed fields; `airdock spec <connector>` prints the spec'; }
  override toJSON() { return { ...super.toJSON(), issues: this.issues }; }
}

export class CatalogValidationError extends ConfigError {
  readonly code = 'AIRDOCK_CATALOG_INVALID';
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], options: AirdockErrorOptions = {}) {
    super(`The configured catalog is not valid: ${formatIssues(issues)}`, {
      ...options,
      context: { issueCount: issues.length, ...options.context },
    });
    this.issues = issues;
  }
  protected override defaultHint() { return 'Fix the catalog, or omit --catalog to build one from discover'; }
  override toJSON() { return { ...super.toJSON(), issues: this.issues }; }
}

export class StreamNotFoundError extends ConfigError {
  readonly code = 'AIRDOCK_STREAM_NOT_FOUND';
  protected override defaultHint() { return 'Run `airdock discover` to list the streams the source has'; }
}

/** A connection file (airdock sync) that cannot be used as written. */
export class ConnectionFileError extends ConfigError {
  readonly code = 'AIRDOCK_CONNECTION_INVALID';
  protected override defaultHint() { return 'See "Connection file" in the README for the expected shape'; }
}

export function formatIssues(issues: readonly ValidationIssue[], max = 5): string {
  const shown = issues.slice(0, max).map((i) => `${i.path || '/'} ${i.message}`);
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return shown.join('; ') + more;
}

/** An acceptance-test-config.yml (`airdock test --acceptance`) is malformed; the context names the key. */
export class AcceptanceConfigError extends ConfigError {
  readonly code = 'AIRDOCK_ACCEPTANCE_CONFIG';
  protected override defaultHint() { return 'Fix the key named here; the file follows the format of Airbyte\'s acceptance-test-config.yml'; }
}
