import { AirdockError, type AirdockErrorOptions } from './airdock-error.js';

export abstract class CatalogError extends AirdockError {
  readonly family = 'catalog' as const;
}

export class ConnectorNotFoundError extends CatalogError {
  readonly code = 'AIRDOCK_CONNECTOR_NOT_FOUND';
  readonly failureType = 'config_error' as const;
  readonly retryable = false;
  readonly suggestions: readonly string[];
  constructor(name: string, suggestions: readonly string[], options: AirdockErrorOptions = {}) {
    super('No connector has that name', { ...options, context: { name, ...options.context } });
    this.suggestions = suggestions;
  }
  protected override defaultHint() {
    return this.suggestions.length > 0
      ? `Did you mean ${this.suggestions.join(', ')}?`
      : 'Run `airdock catalog search <words>` to find one';
  }
  override toJSON() { return { ...super.toJSON(), suggestions: this.suggestions }; }
}

export class RegistryLoadError extends CatalogError {
  readonly code = 'AIRDOCK_REGISTRY_LOAD';
  readonly failureType = 'transient_error' as const;
  readonly retryable = true;
  protected override defaultHint() { return 'Check the network, or set AIRDOCK_OFFLINE=1 to use the cached or bundled registry'; }
}

export class RegistryInvalidError extends CatalogError {
  readonly code = 'AIRDOCK_REGISTRY_INVALID';
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
  protected override defaultHint() { return 'Point AIRDOCK_REGISTRY at a valid registry file, or unset it'; }
}
