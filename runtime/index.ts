/** airdock's public API: run Airbyte connectors (images or local programs) from TypeScript. */
export { createRuntime, type Runtime, type CreateRuntimeOptions } from './create-runtime.js';
export { Connector, DEFAULT_TIMEOUTS, DEFAULT_HEARTBEAT_MS, type ConnectorOptions, type CallOptions, type CheckResult } from './connector.js';
export { resolveConnector, imageName, type ResolvedConnector, type ConnectorRefOptions } from './connector-ref.js';
export { Launcher, newRunId, type LauncherDeps, type BackendProvider } from './launcher/launcher.js';
export { ConnectorRun, type LaunchSpec, type RunInput } from './launcher/connector-run.js';
export type { RunSummary } from './launcher/run-summary.js';
export type { ConnectorCommand, JobInputs } from './launcher/argv.js';
export type { Backend, ConnectorProcess, ExitStatus, JobFile, LaunchTarget, PullPolicy, ResourceLimits, StartOptions } from './launcher/backend.js';
export { ProcessBackend, type ProcessBackendOptions } from './backends/process-backend.js';
export { Logger, silentLogger, levelOfAirbyte, type LogLevel, type LoggerOptions } from './log/logger.js';
export { loadDocument, expandEnv, type Env, type LoadDocumentOptions } from './config/load-document.js';
export { loadOptions, type RuntimeOptions } from './options.js';
export { runAcceptance, readAcceptanceConfig, parseAcceptanceConfig, type AcceptanceOptions, type AcceptanceConfig, type AcceptanceReport, type TestOutcome } from './acceptance/index.js';
export type { DockerBackend, DockerBackendOptions } from './backends/docker/docker-backend.js';

/** The Docker backend, loaded on demand so that importing airdock does not load dockerode. */
export async function connectDocker(options: import('./backends/docker/docker-backend.js').DockerBackendOptions = {}) {
  const { DockerBackend } = await import('./backends/docker/docker-backend.js');
  return DockerBackend.connect(options);
}
