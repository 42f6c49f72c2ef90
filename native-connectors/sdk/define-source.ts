import type { PrecompiledValidator, AirbyteCatalog, ConfiguredAirbyteCatalog, ConnectorSpecification } from '../../protocol/index.js';
import type { Emitter } from './emitter.js';
import type { StateView } from './state-view.js';

export interface ConnectorContext {
  /** Aborted on SIGTERM/SIGINT or when an in-process run is cancelled. */
  signal: AbortSignal;
}

export interface SourceDefinition<C = Record<string, unknown>> {
  kind: 'source';
  spec: ConnectorSpecification;
  /**
   * `spec.connectionSpecification` compiled ahead of time (scripts/gen-config-validators.ts makes it);
   * without one, the config is validated by compiling the spec at start.
   */
  configValidator?: PrecompiledValidator;
  /**
   * Throw a ConfigError subclass (or anything) to fail; a ConfigError gives FAILED with exit 0.
   * Return `{ message }` to pass a note along with SUCCEEDED (e.g. a limitation of the setup).
   */
  check(config: C, ctx: ConnectorContext): Promise<void | { message?: string }>;
  discover(config: C, ctx: ConnectorContext): Promise<AirbyteCatalog>;
  read(config: C, catalog: ConfiguredAirbyteCatalog, state: StateView, ctx: ConnectorContext & { emit: Emitter }): Promise<void>;
}

/**
 * Declares a native source. `runCli(defineSource({...}))` is a whole connector.
 * @example
 * export const source = defineSource<{ count: number }>({ spec, check: async () => {}, discover, read });
 */
export function defineSource<C = Record<string, unknown>>(d: Omit<SourceDefinition<C>, 'kind'>): SourceDefinition<C> {
  return { kind: 'source', ...d };
}
