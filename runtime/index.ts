/**
 * airdock's public API: what a program needs to embed airdock. Run Airbyte connectors (images,
 * native connectors, local programs), sync a source into a destination with acknowledged state, and
 * handle the typed errors. Internals and the CLI's formatting are not exported; a test
 * (test/component/public-api.test.ts) keeps this list deliberate.
 *
 * @example
 * const runtime = createRuntime();
 * const source = await runtime.connector('native:source-faker');
 * for await (const m of source.read({ count: 10 }, configureCatalog(await source.discover({ count: 10 }))).messages()) console.log(m);
 */

// Running one connector.
export { createRuntime, type Runtime, type CreateRuntimeOptions } from './create-runtime.js';
export { loadOptions, type RuntimeOptions } from './options.js';
export { Connector, type ConnectorOptions, type CallOptions, type CheckResult } from './connector.js';
export { resolveConnector, type ResolvedConnector, type ConnectorRefOptions } from './connector-ref.js';
export { ConnectorRun, type RunResult, type LineConsumer } from './launcher/connector-run.js';
export type { LaunchSpec, RunInput } from './launcher/launch-spec.js';
export type { RunSummary } from './launcher/run-summary.js';
export type { ConnectorCommand, JobInputs } from './launcher/argv.js';
export { configureCatalog, selectStreams, type ConfigureOptions } from '../protocol/index.js';
export { loadDocument, type Env, type LoadDocumentOptions } from './config/load-document.js';
export { Logger, silentLogger, type LogLevel, type LoggerOptions } from './log/logger.js';

// Backends: the seam for a new way to start connectors.
export { Launcher, type LauncherDeps, type BackendProvider } from './launcher/launcher.js';
export type { Backend, ConnectorProcess, ExitStatus, JobFile, LaunchTarget, PullPolicy, ResourceLimits, StartOptions } from './launcher/backend.js';
export { ProcessBackend, type ProcessBackendOptions } from './backends/process-backend.js';
export type { DockerBackend, DockerBackendOptions } from './backends/docker/docker-backend.js';
export { connectDocker } from './backends/docker/connect-docker.js';

// Syncing.
export { runSync, type RunSyncOptions, type RunSyncResult } from './sync/run-sync.js';
export { loadConnection, parseConnection, type Connection, type ConnectorSetting, type StreamSetting } from './sync/connection-file.js';
export type { NamespaceSettings } from './sync/namespace-mapper.js';
export type { SyncEvent, SyncEventListener } from './sync/sync-events.js';
export type { SyncStats, StreamStats } from './sync/sync-stats.js';
export type { SyncSummary } from './sync/sync-summary.js';

// Committed state between syncs.
export type { StateStore } from './state/state-store.js';
export { openStateStore, type StateBackendConfig } from './state/open-state-store.js';
export { FileStateStore } from './state/file-state-store.js';
export type { PostgresStateStore, PostgresStateStoreOptions } from './state/postgres-state-store.js';

// Errors: every failure is one of these (stable `code`, `failureType`, `retryable`, `context`, `hint`).
export * from '../protocol/errors/index.js';

// Acceptance tests of any connector (`airdock test`).
export { runAcceptance, readAcceptanceConfig, parseAcceptanceConfig, type AcceptanceOptions, type AcceptanceConfig, type AcceptanceReport, type TestOutcome } from './acceptance/index.js';
