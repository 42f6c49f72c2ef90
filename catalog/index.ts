/** The connector catalog: the Airbyte registry indexed, overlaid with our native connectors. */
export type { CatalogEntry, ConnectorEntry, ConnectorType, NativeConnector } from './entry.js';
export { imageRef, isVisible } from './entry.js';
export { Registry, type CatalogFilters, type SearchOptions } from './registry.js';
export type { RegistrySource } from './registry-source.js';
export type { MatchKind, SearchHit } from './search.js';
export { loadRegistry, DEFAULT_TTL_MS, type LoadRegistryOptions } from './load-registry.js';
export { DEFAULT_REGISTRY_URL } from './registry-url.js';
export { resolveConnectorRef, resolveEntry, type ResolvedRef, type ResolveOptions } from './resolve-connector-ref.js';
export { isBareName } from './is-bare-name.js';
export { buildSeed, loadSeed, SEED_FILE } from './seed.js';
export { parseRegistry } from './parse-registry.js';
export { loadNativeOverlay } from './native-overlay.js';
export { metadataBaseUrl } from './metadata-url.js';
export { executorsOf, registryExecutor, EXECUTOR_KINDS, type ExecutorKind } from './executors.js';
