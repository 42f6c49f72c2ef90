/**
 * The seam between "what to run" and "how the bytes start flowing". Docker images and local
 * programs (our native connectors included) are both processes speaking the Airbyte argv/stdio
 * contract; a Backend only decides how to start one and how to stop it.
 */
import type { Readable, Writable } from 'node:stream';

export type PullPolicy = 'missing' | 'always' | 'never';

/** What runs images: the local Docker engine, or pods on a Kubernetes cluster. */
export type ImageBackendName = 'docker' | 'kubernetes';
export const IMAGE_BACKENDS: readonly ImageBackendName[] = ['docker', 'kubernetes'];

export type LaunchTarget =
  | { kind: 'image'; image: string; pull?: PullPolicy }
  | { kind: 'command'; command: string; args?: readonly string[] }
  /** A PyPI package in a venv of its own (made on first use), run through its console script. */
  | { kind: 'python'; package: string; version: string; script?: string }
  /** A declarative manifest run by the Python CDK's declarative runner (installed on first use). */
  | { kind: 'manifest'; manifest: ManifestRef };

/** A local manifest file, or a registry connector's manifest (fetched once, then cached). */
export type ManifestRef = { path: string } | { repository: string; version: string };

/** A job file the connector reads: config, catalog or state. Written 0600 and removed afterwards. */
export interface JobFile {
  /** Base name, e.g. `config.json`. */
  name: string;
  contents: string | Buffer;
}

export interface ExitStatus {
  /** Exit code, or null when the process was killed by a signal. */
  code: number | null;
  signal?: NodeJS.Signals | null;
  oomKilled?: boolean;
  /** True when the runtime stopped it (terminate, abort, timeout): 143 / SIGTERM is then a clean stop. */
  terminated?: boolean;
}

/** What a connector may use at most; applied by backends that can (Docker), ignored by the others. */
export interface ResourceLimits {
  /** Memory in bytes (swap included: no swap beyond it). */
  memoryBytes?: number;
  /** CPUs in billionths (1.5 CPUs = 1.5e9). */
  nanoCpus?: number;
  /** Processes and threads a container may have; default 4096, 0 for no limit. */
  pidsLimit?: number;
  /** A container's root filesystem is read-only (with a tmpfs /tmp) unless this is false. */
  readOnlyRoot?: boolean;
}

export interface StartOptions {
  /** Connector argv after the entrypoint, with `{jobDir}` already resolved by the launcher. */
  argv: readonly string[];
  files: readonly JobFile[];
  env?: Readonly<Record<string, string>>;
  /** Whether the connector reads stdin (write). Otherwise stdin is closed at once. */
  stdin: boolean;
  signal?: AbortSignal;
  /** Labels / names for observability (container labels, log tags). */
  runId: string;
  connectorName: string;
  /** Process backend: working directory of the connector (default: ours). */
  cwd?: string;
  limits?: ResourceLimits;
  /** Docker network mode; `host` also puts a Kubernetes pod on the node's network. */
  networkMode?: string;
  /** Where progress and notices go (image pulls); default nowhere. */
  log?: import('../log/logger.js').Logger;
}

export interface Backend {
  readonly name: 'process' | ImageBackendName | string;
  /** Where job files are visible to the connector: a private host dir, or /airbyte/job/files in a container. */
  jobDir(runId: string): string;
  start(target: LaunchTarget, options: StartOptions): Promise<ConnectorProcess>;
}

export interface ConnectorProcess extends AsyncDisposable {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves once the process has exited (never rejects for a non-zero exit). */
  wait(): Promise<ExitStatus>;
  /** Idempotent: SIGTERM, grace period, SIGKILL, then remove the container / temp files. */
  terminate(graceMs?: number): Promise<ExitStatus>;
}
