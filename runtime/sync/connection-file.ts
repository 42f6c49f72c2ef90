import { readFile } from 'node:fs/promises';
import type { ExecutorKind } from '../../catalog/index.js';
import { basename, dirname, extname, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigFileError, ConnectionFileError, MissingEnvVarError, createAjv } from '../../protocol/index.js';
import { expandEnv, type Env } from '../config/load-document.js';
import type { ImageBackendName, ResourceLimits } from '../launcher/backend.js';
import type { StateBackendConfig } from '../state/open-state-store.js';
import { CONNECTION_NAME } from '../state/state-store.js';
import type { CircuitSettings } from '../circuit/circuit-breaker.js';
import { Schedule } from '../serve/schedule.js';
import type { NamespaceSettings } from './namespace-mapper.js';
import { connectionSchema, TOP_KEYS } from './connection-schema.js';
import { firstSchemaIssue } from './schema-issue.js';
import { formatPath, locate, type KeyPath } from './yaml-locator.js';

export type SyncMode = 'full_refresh' | 'incremental';
export type DestinationSyncMode = 'append' | 'overwrite' | 'append_dedup' | 'update' | 'soft_delete';

export interface StreamSetting {
  name: string;
  namespace?: string;
  sync_mode?: SyncMode;
  destination_sync_mode?: DestinationSyncMode;
  cursor_field?: string[];
  primary_key?: string[][];
}

export interface ConnectorSetting {
  connector: string;
  config: Record<string, unknown>;
  /** Sandbox relaxations for an image (`docker: {pids_limit, writable_root}`); ignored by local programs. */
  limits?: ResourceLimits;
  /** For a catalog name: the executor to run it on (native, python, manifest, image). */
  executor?: ExecutorKind;
  /** For a catalog name: the package, manifest or image version instead of the registry's. */
  version?: string;
  /** What runs this side's image (docker, kubernetes); default the runtime's. */
  backend?: ImageBackendName;
}

export interface Connection {
  name: string;
  /** Absolute path of the file; relative paths in it are the connectors' business. */
  path: string;
  source: ConnectorSetting;
  destination: ConnectorSetting;
  streams: StreamSetting[] | undefined;
  namespace: NamespaceSettings;
  state: StateBackendConfig;
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** A source silent (no RECORD/STATE) this long fails the attempt as transient. */
  sourceIdleTimeoutMs: number;
  /** How long the destination may take to finish after its input ended. */
  destinationGraceMs: number;
  /** Longest line accepted from either connector; undefined: the default (64 MiB). */
  maxLineBytes: number | undefined;
  /** Present when the file has `circuit_breaker:` (the breaker is off otherwise). */
  circuitBreaker?: CircuitSettings;
  /** Cron expression `airdock serve` runs the connection on (UTC unless it says otherwise). */
  schedule?: string;
}

let validator: ValidateFunction | undefined;

/**
 * Reads and validates a connection file. Every error names the key and its line (`streams[1].sync_mode
 * (line 9)`), never the value: configs hold secrets. `${VAR}` is expanded after parsing, in strings only.
 */
export async function loadConnection(path: string, env: Env): Promise<Connection> {
  const abs = resolve(path);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigFileError(code === 'ENOENT' ? 'The connection file does not exist' : 'The connection file cannot be read', { cause: err, context: { path, reason: code } });
  }
  return parseConnection(text, abs, env);
}

/**
 * YAML (or JSON) → `${VAR}` expanded → shorthands normalised → checked against the connection
 * schema (connection-schema.ts) → a Connection with every default filled in.
 */
export function parseConnection(text: string, path: string, env: Env): Connection {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new ConnectionFileError('The connection file is not valid YAML', { context: { path, line: first.linePos?.[0]?.line, reason: first.code } });
  }
  const at = (keyPath: KeyPath) => locate(doc, lineCounter, keyPath);
  const fail = (keyPath: KeyPath, message: string): never => {
    throw new ConnectionFileError(message, { context: { path, key: formatPath(keyPath), line: at(keyPath) } });
  };
  const raw = doc.toJS() as unknown;
  if (!isObject(raw)) return fail([], 'A connection file must be a mapping with source and destination');
  // Unknown top-level keys first: a typo (`destinaton`) explains whatever else looks missing.
  for (const k of Object.keys(raw)) if (!TOP_KEYS.includes(k)) fail([k], `Unknown key; expected one of ${TOP_KEYS.join(', ')}`);
  // Expand ${VAR} before validating, so a wrong type after expansion is reported too.
  const expanded = normalise(expandWithLines(raw, [], env, (keyPath, err) => {
    throw new MissingEnvVarError(String(err.context.variable), { context: { path, key: formatPath(keyPath), line: at(keyPath) } });
  }) as Record<string, unknown>);
  validator ??= createAjv({ allErrors: false }).compile(connectionSchema);
  const issue = firstSchemaIssue(validator, connectionSchema, expanded);
  if (issue) fail(issue.keyPath, issue.message);
  return toConnection(expanded as unknown as ConnectionDocument, path, fail);
}

/** The file after validation: the schema's shape, shorthands already expanded. */
interface ConnectorDocument {
  connector: string;
  config?: Record<string, unknown>;
  docker?: { pids_limit?: number; writable_root?: boolean };
  executor?: ConnectorSetting['executor'];
  version?: string | number;
  backend?: ImageBackendName;
}

interface ConnectionDocument {
  name?: string;
  source: ConnectorDocument;
  destination: ConnectorDocument;
  backend?: ImageBackendName;
  streams?: StreamSetting[] | null;
  namespace?: { definition: NamespaceSettings['definition']; format?: string } | null;
  prefix?: string | null;
  state?: { backend?: 'file' | 'postgres'; dir?: string; url?: string; table?: string } | null;
  retry?: { attempts?: number; base_delay_ms?: number };
  timeouts?: { source_idle_seconds?: number; destination_grace_seconds?: number };
  max_line_bytes?: number;
  circuit_breaker?: { failure_threshold?: number; recovery_timeout_seconds?: number };
  schedule?: string;
}

/** The shorthands a user may write: `- users` for a stream, `cursor_field: updated_at`, `primary_key: id`, `namespace: source`. */
function normalise(d: Record<string, unknown>): Record<string, unknown> {
  const out = { ...d };
  if (typeof out.namespace === 'string') out.namespace = { definition: out.namespace };
  if (Array.isArray(out.streams)) {
    out.streams = out.streams.map((s: unknown) => {
      if (typeof s === 'string') return { name: s };
      if (!isObject(s)) return s;
      const o = { ...s };
      if (typeof o.cursor_field === 'string') o.cursor_field = [o.cursor_field];
      if (typeof o.primary_key === 'string') o.primary_key = [[o.primary_key]];
      else if (Array.isArray(o.primary_key) && o.primary_key.every((c) => typeof c === 'string')) o.primary_key = o.primary_key.map((c) => [c]);
      return o;
    });
  }
  return out;
}

function toConnection(d: ConnectionDocument, path: string, fail: (keyPath: KeyPath, message: string) => never): Connection {
  const name = d.name ?? basename(path, extname(path));
  if (!CONNECTION_NAME.test(name)) fail(['name'], 'name must be letters, digits, dot, dash or underscore (at most 128)');
  const streams = d.streams ?? undefined;
  const seen = new Set<string>();
  streams?.forEach((s, i) => {
    const key = `${s.namespace ?? ''}\u0000${s.name}`;
    if (seen.has(key)) fail(['streams', i, 'name'], 'this stream is listed twice');
    seen.add(key);
  });
  const namespace: NamespaceSettings = d.namespace
    ? { definition: d.namespace.definition, ...(typeof d.namespace.format === 'string' ? { format: d.namespace.format } : {}) }
    : { definition: 'source' };
  if (d.prefix) namespace.prefix = d.prefix;
  const state: StateBackendConfig = d.state?.backend === 'postgres'
    ? { backend: 'postgres', ...(d.state.url !== undefined ? { url: d.state.url } : {}), ...(d.state.table !== undefined ? { table: d.state.table } : {}) }
    : { backend: 'file', ...(d.state?.dir !== undefined ? { dir: resolve(dirname(path), d.state.dir) } : {}) };
  return {
    name, path,
    source: connectorSetting(d.source, d.backend),
    destination: connectorSetting(d.destination, d.backend),
    streams, namespace, state,
    retry: { attempts: d.retry?.attempts ?? 3, baseDelayMs: d.retry?.base_delay_ms ?? 10_000, maxDelayMs: 30 * 60_000 },
    sourceIdleTimeoutMs: (d.timeouts?.source_idle_seconds ?? 3 * 3600) * 1000,
    destinationGraceMs: (d.timeouts?.destination_grace_seconds ?? 60) * 1000,
    maxLineBytes: d.max_line_bytes,
    ...(d.circuit_breaker ? {
      circuitBreaker: { failureThreshold: d.circuit_breaker.failure_threshold ?? 3, recoveryTimeoutMs: (d.circuit_breaker.recovery_timeout_seconds ?? 600) * 1000 },
    } : {}),
    ...(d.schedule !== undefined ? { schedule: checkSchedule(d.schedule, fail) } : {}),
  };
}

function connectorSetting(d: ConnectorDocument, backend: ImageBackendName | undefined): ConnectorSetting {
  const b = d.backend ?? backend;
  const limits: ResourceLimits = {
    ...(d.docker?.pids_limit !== undefined ? { pidsLimit: d.docker.pids_limit } : {}),
    ...(d.docker?.writable_root === true ? { readOnlyRoot: false } : {}),
  };
  return {
    connector: d.connector, config: d.config ?? {},
    ...(d.executor ? { executor: d.executor } : {}), ...(d.version !== undefined ? { version: String(d.version) } : {}),
    ...(Object.keys(limits).length ? { limits } : {}), ...(b ? { backend: b } : {}),
  };
}

/** A cron expression croner accepts (5 fields, or 6 with seconds), else an error at its line. */
function checkSchedule(expression: string, fail: (keyPath: KeyPath, message: string) => never): string {
  try {
    new Schedule(expression);
  } catch {
    fail(['schedule'], 'schedule is not a cron expression croner understands (e.g. "0 * * * *", or 6 fields with seconds)');
  }
  return expression;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expandWithLines(value: unknown, keyPath: KeyPath, env: Env, onMissing: (p: KeyPath, err: MissingEnvVarError) => never): unknown {
  // A custom namespace format holds the platform's own `${SOURCE_NAMESPACE}` placeholder, not an env var.
  if (keyPath.length === 2 && keyPath[0] === 'namespace' && keyPath[1] === 'format') return value;
  if (typeof value === 'string') {
    try {
      return expandEnv(value, env);
    } catch (err) {
      if (err instanceof MissingEnvVarError) onMissing(keyPath, err);
      throw err;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => expandWithLines(v, [...keyPath, i], env, onMissing));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandWithLines(v, [...keyPath, k], env, onMissing);
    return out;
  }
  return value;
}

