import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import {
  CatalogValidationError, ConfigFileError, ConfigValidationError, UsageError, isAirdockError, validateConfig,
  validateConfiguredCatalog, type AirbyteStateMessage, type ConfiguredAirbyteCatalog,
} from '../../protocol/index.js';
import type { DestinationDefinition } from './define-destination.js';
import { DestinationInput } from './destination-input.js';
import type { SourceDefinition } from './define-source.js';
import { Emitter } from './emitter.js';
import { StateView } from './state-view.js';
import { failureTypeOf, toTraceError } from './to-trace-error.js';

export type ConnectorDefinition = SourceDefinition<any> | DestinationDefinition<any>;

export interface RunConnectorOptions {
  stdout: Writable;
  /** Only `write` reads it. */
  stdin?: Readable | AsyncIterable<Buffer>;
  signal?: AbortSignal;
}

/**
 * Runs one connector command (the Airbyte argv contract) against the given streams and returns the
 * exit code. runCli wires it to the process; the conformance kit runs it in-process.
 */
export async function runConnector(def: ConnectorDefinition, argv: readonly string[], o: RunConnectorOptions): Promise<number> {
  const emit = new Emitter(o.stdout);
  const signal = o.signal ?? new AbortController().signal;
  const command = argv[0];
  try {
    const flags = parseFlags(argv.slice(1));
    if (command === 'spec') {
      await emit.message({ type: 'SPEC', spec: def.spec });
    } else if (command === 'check') {
      const config = await loadConfig(def, flags);
      try {
        const verdict = await def.check(config, { signal });
        const message = verdict && typeof verdict.message === 'string' ? { message: verdict.message } : {};
        await emit.message({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED', ...message } });
      } catch (error) {
        // The platform reads check's verdict from CONNECTION_STATUS; a failed check is a result, not a crash.
        await emit.message({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: failureMessage(error) } });
      }
    } else if (command === 'discover' && def.kind === 'source') {
      const config = await loadConfig(def, flags);
      await emit.message({ type: 'CATALOG', catalog: await def.discover(config, { signal }) });
    } else if (command === 'read' && def.kind === 'source') {
      const config = await loadConfig(def, flags);
      const catalog = await loadCatalog(flags);
      const state = flags.state ? ((await readJsonFile(flags.state, 'state')) as AirbyteStateMessage[]) : [];
      await def.read(config, catalog, new StateView(Array.isArray(state) ? state : [state]), { signal, emit });
    } else if (command === 'write' && def.kind === 'destination') {
      const config = await loadConfig(def, flags);
      const catalog = await loadCatalog(flags);
      await def.write(config, catalog, new DestinationInput((o.stdin ?? (async function* () {})()) as AsyncIterable<Buffer>), { signal, emit });
    } else {
      throw new UsageError('Unknown command for this connector', { context: { command: command ?? '', kind: def.kind } });
    }
    await emit.flush();
    return 0;
  } catch (error) {
    await emit.flush().catch(() => {});
    // A config error during check is still a verdict: FAILED, exit 0 (as the Python CDK does).
    if (command === 'check' && failureTypeOf(error) === 'config_error') {
      await emit.message(toTraceError(error));
      await emit.message({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: failureMessage(error) } });
      await emit.flush();
      return 0;
    }
    await emit.message(toTraceError(error));
    await emit.flush().catch(() => {});
    return 1;
  }
}

/** What a failed check says: an airdock error's one line (code, safe facts, hint), else the message. */
function failureMessage(error: unknown): string {
  if (isAirdockError(error)) return error.describe();
  return error instanceof Error ? error.message : String(error);
}

function parseFlags(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) out[a.slice(2)] = args[++i]!;
    else out[a.slice(2)] = 'true';
  }
  return out;
}

function required(flags: Record<string, string>, name: string): string {
  const v = flags[name];
  if (!v) throw new UsageError('A required argument is missing', { context: { argument: `--${name}` } });
  return v;
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigFileError('Cannot read the file', { cause, context: { file: what } });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConfigFileError('The file is not valid JSON', { cause, context: { file: what } });
  }
}

/** A catalog that breaks the protocol (an unknown sync mode, a stream without a schema) is a config error, as in the Python CDK. */
async function loadCatalog(flags: Record<string, string>): Promise<ConfiguredAirbyteCatalog> {
  const catalog = await readJsonFile(required(flags, 'catalog'), 'catalog');
  const issues = validateConfiguredCatalog(catalog);
  if (issues.length > 0) throw new CatalogValidationError(issues);
  return catalog as ConfiguredAirbyteCatalog;
}

async function loadConfig(def: ConnectorDefinition, flags: Record<string, string>): Promise<any> {
  const config = await readJsonFile(required(flags, 'config'), 'config');
  const issues = validateConfig(config, def.spec.connectionSpecification as object, def.configValidator);
  if (issues.length > 0) throw new ConfigValidationError(issues);
  return config;
}
