import { ConfigError } from './config-errors.js';
import { AirdockError, type AirdockErrorOptions } from './airdock-error.js';

/**
 * `airdock config new` could not tell which connector a description means: it names none, names
 * one that fits several connectors, or names more systems than a connection has. `candidates`
 * lists what the user can choose from.
 */
export class ConnectorChoiceError extends ConfigError {
  readonly code = 'AIRDOCK_ASSIST_CONNECTOR';
  readonly candidates: readonly string[];
  constructor(message: string, candidates: readonly string[], options: AirdockErrorOptions = {}) {
    super(message, options);
    this.candidates = candidates;
  }
  protected override defaultHint() {
    return this.candidates.length > 0
      ? `Name one of: ${this.candidates.join(', ')}`
      : 'Name the system, e.g. "Postgres", "S3", "ClickHouse" (`airdock catalog search <words>` lists them)';
  }
  override toJSON() { return { ...super.toJSON(), candidates: this.candidates }; }
}

/** No spec could be had for a connector: none ships with airdock and it cannot be run here. */
export class SpecUnavailableError extends ConfigError {
  readonly code = 'AIRDOCK_ASSIST_NO_SPEC';
  protected override defaultHint() {
    return 'Make its image available (docker pull, or a registry airdock can reach) and retry, or write the config by hand from `airdock spec <connector>`';
  }
}

/** The optional language-model endpoint failed or answered something unusable. */
export class LlmEndpointError extends AirdockError {
  readonly code = 'AIRDOCK_ASSIST_LLM';
  readonly family = 'config' as const;
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'Check AIRDOCK_LLM_URL and AIRDOCK_LLM_MODEL, or unset AIRDOCK_LLM_URL to use the offline drafting alone'; }
}
