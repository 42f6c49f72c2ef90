import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Document } from 'yaml';
import { ConfigFileError, ConnectionFileError, MissingEnvVarError } from '../../protocol/index.js';
import { expandEnv, type Env } from '../config/load-document.js';
import type { StateBackendConfig } from '../state/open-state-store.js';
import { CONNECTION_NAME } from '../state/state-store.js';
import type { NamespaceSettings } from './namespace-mapper.js';

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
}

const SYNC_MODES = ['full_refresh', 'incremental'];
const DEST_MODES = ['append', 'overwrite', 'append_dedup', 'update', 'soft_delete'];
const TOP_KEYS = ['name', 'source', 'destination', 'streams', 'namespace', 'prefix', 'state', 'retry', 'timeouts'];

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

export function parseConnection(text: string, path: string, env: Env): Connection {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new ConnectionFileError('The connection file is not valid YAML', { context: { path, line, reason: first.code } });
  }
  const at = (keyPath: (string | number)[]) => locate(doc, lineCounter, keyPath);
  const fail = (keyPath: (string | number)[], message: string): never => {
    throw new ConnectionFileError(message, { context: { path, key: formatPath(keyPath), line: at(keyPath) } });
  };
  const raw = doc.toJS() as unknown;
  if (!isObject(raw)) fail([], 'A connection file must be a mapping with source and destination');
  const root = raw as Record<string, unknown>;
  for (const k of Object.keys(root)) if (!TOP_KEYS.includes(k)) fail([k], `Unknown key; expected one of ${TOP_KEYS.join(', ')}`);

  // Expand ${VAR} before validating, so a wrong type after expansion is reported too.
  const expanded = expandWithLines(root, [], env, (keyPath, err) => {
    throw new MissingEnvVarError(String(err.context.variable), { context: { path, key: formatPath(keyPath), line: at(keyPath) } });
  }) as Record<string, unknown>;

  const name = expanded.name ?? basename(path, extname(path));
  if (typeof name !== 'string' || !CONNECTION_NAME.test(name)) fail(['name'], 'name must be letters, digits, dot, dash or underscore (at most 128)');

  const connector = (side: 'source' | 'destination'): ConnectorSetting => {
    const v = expanded[side];
    if (v === undefined) fail([], `${side} is required`);
    if (!isObject(v)) fail([side], `${side} must be a mapping with connector and config`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== 'connector' && k !== 'config') fail([side, k], 'Unknown key; expected connector or config');
    if (typeof o.connector !== 'string' || o.connector.trim() === '') fail([side, 'connector'], 'connector must be a connector reference (native:name, an image, ./program)');
    const config = o.config ?? {};
    if (!isObject(config)) fail([side, 'config'], 'config must be a mapping');
    return { connector: o.connector as string, config: config as Record<string, unknown> };
  };
  const source = connector('source');
  const destination = connector('destination');

  let streams: StreamSetting[] | undefined;
  if (expanded.streams !== undefined && expanded.streams !== null) {
    if (!Array.isArray(expanded.streams)) fail(['streams'], 'streams must be a list');
    const seen = new Set<string>();
    streams = (expanded.streams as unknown[]).map((s, i) => {
      const p = (k?: string) => (k ? ['streams', i, k] : ['streams', i]);
      if (typeof s === 'string') s = { name: s };
      if (!isObject(s)) fail(p(), 'a stream must be a mapping with at least name');
      const o = s as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!['name', 'namespace', 'sync_mode', 'destination_sync_mode', 'cursor_field', 'primary_key'].includes(k)) fail(p(k), 'Unknown stream key');
      }
      if (typeof o.name !== 'string' || o.name === '') fail(p('name'), 'name must be a non-empty string');
      if (o.namespace !== undefined && typeof o.namespace !== 'string') fail(p('namespace'), 'namespace must be a string');
      if (o.sync_mode !== undefined && !SYNC_MODES.includes(o.sync_mode as string)) fail(p('sync_mode'), `sync_mode must be one of ${SYNC_MODES.join(', ')}`);
      if (o.destination_sync_mode !== undefined && !DEST_MODES.includes(o.destination_sync_mode as string)) {
        fail(p('destination_sync_mode'), `destination_sync_mode must be one of ${DEST_MODES.join(', ')}`);
      }
      const cursor = o.cursor_field === undefined ? undefined : typeof o.cursor_field === 'string' ? [o.cursor_field] : o.cursor_field;
      if (cursor !== undefined && (!Array.isArray(cursor) || cursor.length === 0 || !cursor.every((c) => typeof c === 'string'))) {
        fail(p('cursor_field'), 'cursor_field must be a field path (a list of strings)');
      }
      let pk = o.primary_key;
      if (typeof pk === 'string') pk = [[pk]];
      else if (Array.isArray(pk) && pk.every((c) => typeof c === 'string')) pk = (pk as string[]).map((c) => [c]);
      if (pk !== undefined && (!Array.isArray(pk) || !pk.every((k) => Array.isArray(k) && k.length > 0 && k.every((c) => typeof c === 'string')))) {
        fail(p('primary_key'), 'primary_key must be a list of field paths, e.g. [[id]]');
      }
      // An incremental stream without cursor_field, or dedup without primary_key, may still be fine:
      // the source can define them. derive-catalog checks that against discover.
      const key = `${o.namespace ?? ''}\u0000${o.name as string}`;
      if (seen.has(key)) fail(p('name'), 'this stream is listed twice');
      seen.add(key);
      const out: StreamSetting = { name: o.name as string };
      if (o.namespace !== undefined) out.namespace = o.namespace as string;
      if (o.sync_mode !== undefined) out.sync_mode = o.sync_mode as SyncMode;
      if (o.destination_sync_mode !== undefined) out.destination_sync_mode = o.destination_sync_mode as DestinationSyncMode;
      if (cursor !== undefined) out.cursor_field = cursor as string[];
      if (pk !== undefined) out.primary_key = pk as string[][];
      return out;
    });
  }

  let namespace: NamespaceSettings = { definition: 'source' };
  if (expanded.namespace !== undefined && expanded.namespace !== null) {
    const n = typeof expanded.namespace === 'string' ? { definition: expanded.namespace } : expanded.namespace;
    if (!isObject(n)) fail(['namespace'], 'namespace must be a mapping: {definition: source|destination|custom, format}');
    const o = n as Record<string, unknown>;
    if (!['source', 'destination', 'custom'].includes(o.definition as string)) fail(['namespace', 'definition'], 'definition must be source, destination or custom');
    if (o.definition === 'custom' && typeof o.format !== 'string') fail(['namespace', 'format'], 'a custom namespace needs a format, e.g. "raw_${SOURCE_NAMESPACE}"');
    namespace = { definition: o.definition as NamespaceSettings['definition'], ...(typeof o.format === 'string' ? { format: o.format } : {}) };
  }
  if (expanded.prefix !== undefined && expanded.prefix !== null && typeof expanded.prefix !== 'string') fail(['prefix'], 'prefix must be a string');
  if (typeof expanded.prefix === 'string' && expanded.prefix !== '') namespace.prefix = expanded.prefix;

  let state: StateBackendConfig = { backend: 'file' };
  if (expanded.state !== undefined && expanded.state !== null) {
    if (!isObject(expanded.state)) fail(['state'], 'state must be a mapping: {backend: file|postgres}');
    const o = expanded.state as Record<string, unknown>;
    if (o.backend === undefined || o.backend === 'file') {
      if (o.dir !== undefined && typeof o.dir !== 'string') fail(['state', 'dir'], 'dir must be a path');
      state = { backend: 'file', ...(typeof o.dir === 'string' ? { dir: resolve(dirname(path), o.dir) } : {}) };
    } else if (o.backend === 'postgres') {
      if (o.url !== undefined && typeof o.url !== 'string') fail(['state', 'url'], 'url must be a postgres:// URL');
      if (o.table !== undefined && (typeof o.table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(o.table))) fail(['state', 'table'], 'table must be a plain SQL identifier');
      state = { backend: 'postgres', ...(typeof o.url === 'string' ? { url: o.url } : {}), ...(typeof o.table === 'string' ? { table: o.table } : {}) };
    } else fail(['state', 'backend'], 'backend must be file or postgres');
  }

  const retry = { attempts: 3, baseDelayMs: 10_000, maxDelayMs: 30 * 60_000 };
  if (expanded.retry !== undefined) {
    if (!isObject(expanded.retry)) fail(['retry'], 'retry must be a mapping: {attempts, base_delay_ms}');
    const o = expanded.retry as Record<string, unknown>;
    if (o.attempts !== undefined) {
      if (!Number.isInteger(o.attempts) || (o.attempts as number) < 1) fail(['retry', 'attempts'], 'attempts must be an integer ≥ 1');
      retry.attempts = o.attempts as number;
    }
    if (o.base_delay_ms !== undefined) {
      if (typeof o.base_delay_ms !== 'number' || o.base_delay_ms < 0) fail(['retry', 'base_delay_ms'], 'base_delay_ms must be a number ≥ 0');
      retry.baseDelayMs = o.base_delay_ms as number;
    }
  }
  let sourceIdleTimeoutMs = 3 * 3600_000;
  let destinationGraceMs = 60_000;
  if (expanded.timeouts !== undefined) {
    if (!isObject(expanded.timeouts)) fail(['timeouts'], 'timeouts must be a mapping: {source_idle_seconds, destination_grace_seconds}');
    const o = expanded.timeouts as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== 'source_idle_seconds' && k !== 'destination_grace_seconds') fail(['timeouts', k], 'Unknown key');
    if (o.source_idle_seconds !== undefined) {
      if (typeof o.source_idle_seconds !== 'number' || o.source_idle_seconds <= 0) fail(['timeouts', 'source_idle_seconds'], 'must be a number > 0');
      sourceIdleTimeoutMs = (o.source_idle_seconds as number) * 1000;
    }
    if (o.destination_grace_seconds !== undefined) {
      if (typeof o.destination_grace_seconds !== 'number' || o.destination_grace_seconds < 0) fail(['timeouts', 'destination_grace_seconds'], 'must be a number ≥ 0');
      destinationGraceMs = (o.destination_grace_seconds as number) * 1000;
    }
  }
  return { name: name as string, path, source, destination, streams, namespace, state, retry, sourceIdleTimeoutMs, destinationGraceMs };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function formatPath(keyPath: (string | number)[]): string {
  return keyPath.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '') || '(document)';
}

/** The 1-based line of the deepest node on the path that exists (the key's line for a missing key). */
function locate(doc: Document, counter: LineCounter, keyPath: (string | number)[]): number | undefined {
  for (let n = keyPath.length; n >= 0; n--) {
    const sub = keyPath.slice(0, n);
    const parent = n === 0 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
    let range: [number, number, number] | null | undefined;
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === sub[n - 1]);
      range = (pair?.key as { range?: [number, number, number] } | null)?.range;
    } else if (n > 0 && isSeq(parent)) {
      range = (parent.items[sub[n - 1] as number] as { range?: [number, number, number] } | undefined)?.range;
    } else if (n === 0) {
      range = (doc.contents as { range?: [number, number, number] } | null)?.range;
    }
    if (range) return counter.linePos(range[0]).line;
  }
  return undefined;
}

function expandWithLines(value: unknown, keyPath: (string | number)[], env: Env, onMissing: (p: (string | number)[], err: MissingEnvVarError) => never): unknown {
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
