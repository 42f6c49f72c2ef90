import {
  CatalogValidationError, ConfigValidationError, ConnectorFailedError, MissingOutputError, validateConfig, validateConfiguredCatalog,
  type AirbyteCatalog, type AirbyteConnectionStatus, type AirbyteMessage, type AirbyteStateMessage, type ConfiguredAirbyteCatalog,
  type ConnectorSpecification, type ValidationIssue,
} from '../protocol/index.js';
import type { ImageBackendName, LaunchTarget, ResourceLimits } from './launcher/backend.js';
import type { ConnectorCommand } from './launcher/argv.js';
import type { ConnectorRun, LaunchSpec, RunInput } from './launcher/connector-run.js';
import type { Launcher } from './launcher/launcher.js';
import type { Logger } from './log/logger.js';
import type { SecretRedactor } from './log/secret-redactor.js';

export const DEFAULT_TIMEOUTS = { spec: 60_000, check: 600_000, discover: 600_000 } as const;
/** A read or write that says nothing for this long is considered hung. */
export const DEFAULT_HEARTBEAT_MS = 30 * 60_000;

export interface ConnectorOptions {
  launcher: Launcher;
  target: LaunchTarget;
  name: string;
  log?: Logger;
  /** Per-command time limits (ms); spec 60 s, check and discover 10 min by default. */
  timeouts?: Partial<Record<'spec' | 'check' | 'discover' | 'read' | 'write', number>>;
  heartbeatMs?: number;
  /** Validate config (and catalog) against the spec before every run. Default true. */
  validate?: boolean;
  /** Learns the secrets of every config this connector runs with (its spec's airbyte_secret fields included). */
  redactor?: SecretRedactor;
  env?: Record<string, string>;
  /** Memory and CPU limits (Docker). */
  limits?: ResourceLimits;
  networkMode?: string;
  graceMs?: number;
  /** Longest stdout line accepted from the connector (default 64 MiB). */
  maxLineBytes?: number;
  /** Which backend runs the image (docker, kubernetes); default the runtime's. */
  backend?: ImageBackendName;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** read/write: the longest silence allowed for this run (0: none); default the connector's. */
  heartbeatMs?: number;
  /** TERM → KILL grace period when this run is stopped; default the connector's. */
  graceMs?: number;
  /** Names the run's job dir and container labels; default a fresh id. */
  runId?: string;
}

export interface CheckResult {
  status: 'SUCCEEDED' | 'FAILED';
  message?: string;
  /** When our own validation against the spec failed, every problem (secrets masked). */
  issues?: readonly ValidationIssue[];
}

/**
 * One connector, as a user thinks of it: spec, check, discover, read, write. Results come from the
 * first message of the expected type (as the platform does, whatever the exit code); failures are
 * typed errors; `check` answers FAILED instead of throwing when the connector (or its spec) says no.
 */
export class Connector {
  readonly name: string;
  readonly target: LaunchTarget;
  readonly #o: ConnectorOptions;
  #spec: Promise<ConnectorSpecification> | undefined;

  constructor(options: ConnectorOptions) {
    this.#o = options;
    this.name = options.name;
    this.target = options.target;
  }

  /** The connector's spec, fetched once. */
  spec(options: CallOptions = {}): Promise<ConnectorSpecification> {
    if (!this.#spec) {
      this.#spec = this.#result('spec', {}, 'SPEC', options).then((m) => m.spec!);
      this.#spec.catch(() => { this.#spec = undefined; });
    }
    return this.#spec;
  }

  async check(config: object, options: CallOptions = {}): Promise<CheckResult> {
    const issues = await this.#inspect(config, options);
    if (issues.length > 0) return { status: 'FAILED', message: `the config does not match the connector's spec (${issues.length} problem${issues.length === 1 ? '' : 's'})`, issues };
    try {
      const m = await this.#result('check', { config }, 'CONNECTION_STATUS', options);
      const s = m.connectionStatus as AirbyteConnectionStatus;
      return { status: s.status, ...(s.message ? { message: s.message } : {}) };
    } catch (err) {
      if (err instanceof ConnectorFailedError) return { status: 'FAILED', message: err.message };
      throw err;
    }
  }

  async discover(config: object, options: CallOptions = {}): Promise<AirbyteCatalog> {
    await this.validateConfig(config, options);
    return (await this.#result('discover', { config }, 'CATALOG', options)).catalog!;
  }

  /** Records, states and traces as they come; `done()` gives the summary. State: the array `--state` takes. */
  read(config: object, catalog: ConfiguredAirbyteCatalog, state?: readonly AirbyteStateMessage[] | unknown, options: CallOptions = {}): ConnectorRun {
    return this.#run('read', { config, catalog, ...(state === undefined ? {} : { state }) }, options, undefined, catalog);
  }

  /** Feeds `input` to the destination's stdin (backpressure respected, EOF at the end); yields what it echoes. */
  write(config: object, catalog: ConfiguredAirbyteCatalog, input: RunInput, options: CallOptions = {}): ConnectorRun {
    return this.#run('write', { config, catalog }, options, input, catalog);
  }

  /**
   * Any command as is: no validation of config or catalog first, whatever the connector says comes
   * back (`airdock test` judges the connector itself, invalid inputs included).
   */
  invoke(command: ConnectorCommand, inputs: Pick<LaunchSpec, 'config' | 'catalog' | 'state'>, options: CallOptions = {}, input?: RunInput): ConnectorRun {
    return this.#run(command, inputs, options, input, undefined, false);
  }

  /** Checks a config against this connector's spec; throws ConfigValidationError listing every problem. */
  async validateConfig(config: object, options: CallOptions = {}): Promise<void> {
    const issues = await this.#inspect(config, options);
    if (issues.length > 0) throw new ConfigValidationError(issues, { context: { connector: this.name } });
  }

  /**
   * Before a config is used: its secrets are learnt (from the spec when there is one, so that
   * `airbyte_secret` fields with harmless names count too), then it is validated unless disabled.
   * With validation off the spec is still asked for the redactor's sake, and may fail quietly.
   */
  async #inspect(config: object, options: CallOptions): Promise<readonly ValidationIssue[]> {
    const { redactor } = this.#o;
    const validate = this.#o.validate !== false;
    redactor?.addConfig(config);
    if (!validate && !redactor) return [];
    const spec = await this.spec(options).catch((err: unknown) => {
      if (validate) throw err;
      return undefined;
    });
    if (!spec) return [];
    redactor?.addConfig(config, spec.connectionSpecification);
    return validate ? validateConfig(config, spec.connectionSpecification) : [];
  }

  #run(command: ConnectorCommand, inputs: Pick<LaunchSpec, 'config' | 'catalog' | 'state'>, options: CallOptions, input?: RunInput, catalog?: ConfiguredAirbyteCatalog, preflight = true): ConnectorRun {
    const o = this.#o;
    const timeoutMs = options.timeoutMs ?? o.timeouts?.[command] ?? (command in DEFAULT_TIMEOUTS ? DEFAULT_TIMEOUTS[command as keyof typeof DEFAULT_TIMEOUTS] : undefined);
    const streaming = command === 'read' || command === 'write';
    const heartbeatMs = streaming ? options.heartbeatMs ?? o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS : undefined;
    const graceMs = options.graceMs ?? o.graceMs;
    const spec: LaunchSpec = {
      target: this.target, command, connectorName: this.name, ...inputs,
      ...(input ? { input } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.runId ? { runId: options.runId } : {}),
      ...(timeoutMs ? { timeoutMs } : {}), ...(heartbeatMs ? { heartbeatMs } : {}),
      ...(o.maxLineBytes ? { maxLineBytes: o.maxLineBytes } : {}),
      ...(o.env ? { env: o.env } : {}), ...(o.limits ? { limits: o.limits } : {}),
      ...(o.networkMode ? { networkMode: o.networkMode } : {}), ...(graceMs !== undefined ? { graceMs } : {}),
      ...(o.backend ? { backend: o.backend } : {}),
      ...(o.log ? { log: o.log } : {}),
    };
    if (command !== 'spec' && preflight) {
      spec.preflight = async () => {
        if (catalog) {
          const issues = validateConfiguredCatalog(catalog);
          if (issues.length > 0) throw new CatalogValidationError(issues, { context: { connector: this.name } });
        }
        if (inputs.config !== undefined) await this.validateConfig(inputs.config as object, options);
      };
    }
    return o.launcher.run(spec);
  }

  async #result(command: ConnectorCommand, inputs: Pick<LaunchSpec, 'config'>, type: AirbyteMessage['type'], options: CallOptions): Promise<AirbyteMessage> {
    const run = this.#run(command, inputs, options);
    // Validation for check/discover already happened in the caller; don't fetch the spec twice.
    let result: AirbyteMessage | undefined;
    let failure: unknown;
    try {
      for await (const m of run.messages()) if (m.type === type && result === undefined) result = m;
    } catch (err) {
      failure = err;
    }
    // The platform takes the first result message whatever the exit code, unless we stopped the run.
    if (result && !(failure && isStop(failure))) return result;
    if (failure) throw failure;
    throw new MissingOutputError('The connector exited without its result', {
      context: { connector: this.name, command, expected: type, stderrTail: run.stderrTail(20) },
    });
  }
}

function isStop(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'AIRDOCK_ABORTED' || code === 'AIRDOCK_CONNECTOR_TIMEOUT';
}
