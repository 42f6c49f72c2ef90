import { InvalidArgumentError, Option, type Command } from 'commander';
import { AbortedError, ConfigFileError } from '../../protocol/errors/index.js';
import type { ExecutorKind } from '../../catalog/executors.js';
import type { Connector } from '../../runtime/connector.js';
import type { Runtime } from '../../runtime/create-runtime.js';
import type { PullPolicy } from '../../runtime/launcher/backend.js';
import { cliRedactor } from '../cli-redactor.js';
import { writeData } from '../redact-output.js';

const NL = Buffer.from('\n');

/** Options every connector command takes. */
export interface ConnectorCliOptions {
  json?: boolean;
  pull?: PullPolicy;
  timeout?: number;
  prefer?: 'native' | 'image';
  executor?: ExecutorKind;
  version?: string;
  network?: string;
  memory?: number;
  cpus?: number;
  pidsLimit?: number;
  writableRoot?: boolean;
  maxLineBytes?: number;
  validate?: boolean;
  backend?: 'docker' | 'kubernetes';
}

export function withConnectorOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'machine-readable output')
    .addOption(new Option('--pull <policy>', 'when to pull the image').choices(['missing', 'always', 'never']).default('missing'))
    .option('--timeout <seconds>', 'time limit for the command (read/write: seconds without any message)', positiveNumber)
    .addOption(new Option('--prefer <kind>', 'for a catalog name: our native connector or the Airbyte image').choices(['native', 'image']))
    .addOption(new Option('--executor <kind>', 'for a catalog name: run it natively, from PyPI in a venv, as a declarative manifest, or as its image')
      .choices(['native', 'python', 'manifest', 'image']))
    .option('--version <version>', "for a catalog name: this version of its PyPI package, manifest or image instead of the registry's")
    .option('--network <mode>', 'Docker network mode for the container (bridge, host, none, <network>)')
    .option('--memory <MB>', 'Docker memory limit in MB', positiveNumber)
    .option('--cpus <n>', 'Docker CPU limit (e.g. 1.5)', positiveNumber)
    .option('--pids-limit <n>', 'Docker: processes and threads the container may have (default 4096; 0: no limit)', nonNegativeInteger)
    .option('--writable-root', "Docker: let the container write its root filesystem (default: read-only, with a tmpfs /tmp)")
    .option('--max-line-bytes <n>', 'longest line accepted from the connector, in bytes (default 64 MiB)', positiveInteger)
    .option('--no-validate', 'do not check the config against the connector spec before running')
    .addOption(new Option('--backend <name>', 'what runs an image: docker, or a pod on Kubernetes (default $AIRDOCK_BACKEND or docker)').choices(['docker', 'kubernetes']));
}

/** Opens the connector for a CLI command; heavy modules load here, not at CLI start. */
export async function openConnector(ref: string, o: ConnectorCliOptions, command: 'spec' | 'check' | 'discover' | 'read' | 'write'): Promise<Connector> {
  const runtime = await cliRuntime();
  const timeoutMs = o.timeout ? o.timeout * 1000 : undefined;
  const streaming = command === 'read' || command === 'write';
  return runtime.connector(ref, {
    ...(o.pull ? { pull: o.pull } : {}), ...(o.prefer ? { prefer: o.prefer } : {}),
    ...(o.executor ? { executor: o.executor } : {}), ...(o.version ? { version: o.version } : {}),
    ...(timeoutMs && !streaming ? { timeouts: { [command]: timeoutMs } } : {}),
    ...(timeoutMs && streaming ? { heartbeatMs: timeoutMs } : {}),
    ...(o.network ? { networkMode: o.network } : {}),
    limits: {
      ...(o.memory ? { memoryBytes: Math.round(o.memory * 1024 * 1024) } : {}), ...(o.cpus ? { nanoCpus: Math.round(o.cpus * 1e9) } : {}),
      ...(o.pidsLimit !== undefined ? { pidsLimit: o.pidsLimit } : {}), ...(o.writableRoot ? { readOnlyRoot: false } : {}),
    },
    ...(o.maxLineBytes ? { maxLineBytes: o.maxLineBytes } : {}),
    validate: o.validate !== false,
    ...(o.backend ? { backend: o.backend } : {}),
  });
}

/** The runtime of a CLI command: options from the environment, output through the CLI's redactor. */
export async function cliRuntime(): Promise<Runtime> {
  const { createRuntime } = await import('../../runtime/create-runtime.js');
  const { Logger } = await import('../../runtime/log/logger.js');
  const { loadOptions } = await import('../../runtime/options.js');
  return createRuntime({ log: new Logger({ level: loadOptions().logLevel, redact: cliRedactor.redact }), redactor: cliRedactor });
}

/** Reads a JSON/YAML document with `${VAR}` expanded, and checks it is an object. */
export async function loadObject(path: string, what: string): Promise<Record<string, unknown>> {
  const { loadDocument } = await import('../../runtime/config/load-document.js');
  const { environment } = await import('../../runtime/options.js');
  const value = await loadDocument(path, { env: environment() });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigFileError(`The ${what} file must hold an object`, { context: { path } });
  }
  // Whatever a connector or an error later prints, this config's secrets are masked in it.
  cliRedactor.addConfig(value);
  return value as Record<string, unknown>;
}

/**
 * Ctrl-C / SIGTERM abort the run (the connector is stopped and removed, then we exit 130); a second
 * Ctrl-C exits at once.
 */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    count++;
    if (count > 1) process.exit(130);
    process.stderr.write(`\nairdock: ${sig === 'SIGINT' ? 'interrupted' : 'terminated'}, stopping the connector...\n`);
    ac.abort(new AbortedError('The run was interrupted', { context: { signal: sig } }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Writes one protocol line a connector produced to stdout, respecting backpressure (a slow pipe must
 * slow the connector, not fill memory). RECORD and STATE lines are data and go out byte for
 * byte; every other message (LOG, TRACE, CONTROL, CONNECTION_STATUS...) goes through the redactor.
 */
export async function writeLine(line: { type: string; raw: Uint8Array }): Promise<void> {
  const chunk = Buffer.concat([line.raw, NL]);
  const ok = line.type === 'RECORD' || line.type === 'STATE' ? writeData(chunk) : process.stdout.write(chunk);
  if (!ok) await new Promise<void>((r) => process.stdout.once('drain', r));
}

export function positiveInteger(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer ≥ 1');
  return n;
}

export function nonNegativeInteger(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer ≥ 0');
  return n;
}

export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

export function streamList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
