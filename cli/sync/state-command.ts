import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import {
  ConfigFileError, StateInvalidError, StateSet, parseJson, stringifyJson, validateStateMessage, type AirbyteStateMessage,
} from '../../protocol/index.js';
import { environment, loadOptions } from '../../runtime/options.js';
import { openStateStore, type StateBackendConfig } from '../../runtime/state/open-state-store.js';
import { CONNECTION_NAME, type StateStore } from '../../runtime/state/state-store.js';
import { loadConnection } from '../../runtime/sync/connection-file.js';
import { writeData } from '../redact-output.js';

/** The connection's name and its state store, from a connection file or a bare name (file store). */
export async function openFor(conn: string, flags: { stateDir?: string }): Promise<{ name: string; store: StateStore }> {
  const options = loadOptions();
  let name: string;
  let config: StateBackendConfig = { backend: 'file' };
  if (existsSync(conn) || /\.(ya?ml|json)$/i.test(conn)) {
    const c = await loadConnection(conn, environment());
    name = c.name;
    config = c.state;
  } else {
    if (!CONNECTION_NAME.test(conn)) throw new ConfigFileError('Not a connection file or a connection name', { context: { connection: conn } });
    name = conn;
  }
  const store = await openStateStore(config, { home: options.home, ...(flags.stateDir ? { stateDir: resolve(flags.stateDir) } : {}) });
  return { name, store };
}

export async function showState(conn: string, flags: { stateDir?: string; raw?: boolean }): Promise<void> {
  const { name, store } = await openFor(conn, flags);
  try {
    if (flags.raw) {
      // Exactly what is stored, even when it does not parse: the way to look at a corrupt state.
      const text = await store.loadText(name);
      if (text === undefined) process.stderr.write(`no state stored for ${name} (${store.describe})\n`);
      else writeData(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
      return;
    }
    const states = await store.load(name);
    // State is data that goes back to a connector (`state set`): printed exactly, never masked.
    writeData(Buffer.from(`${stringifyJson(states)}\n`));
  } finally {
    await store.close();
  }
}

export async function setState(conn: string, file: string, flags: { stateDir?: string }): Promise<void> {
  const raw = file === '-' ? await text(process.stdin) : await readFile(file, 'utf8').catch((err: unknown) => {
    throw new ConfigFileError('The state file cannot be read', { cause: err, context: { path: file } });
  });
  const states = parseStateInput(raw);
  const { name, store } = await openFor(conn, flags);
  try {
    await using _lock = await store.lock(name, 'state-set');
    await store.save(name, states);
    process.stderr.write(`state of ${name} set: ${states.length} state message(s) (${store.describe})\n`);
  } finally {
    await store.close();
  }
}

export async function clearState(conn: string, flags: { stateDir?: string }): Promise<void> {
  const { name, store } = await openFor(conn, flags);
  try {
    await using _lock = await store.lock(name, 'state-clear');
    await store.clear(name);
    process.stderr.write(`state of ${name} cleared (${store.describe})\n`);
  } finally {
    await store.close();
  }
}

/**
 * What `state set` accepts: a JSON array of AirbyteStateMessage (what `state show` prints), a single
 * state message, or a bare LEGACY blob. Each message is schema-validated and the set must not mix kinds.
 */
export function parseStateInput(raw: string): AirbyteStateMessage[] {
  let value: unknown;
  try {
    value = parseJson(raw);
  } catch (err) {
    throw new StateInvalidError('The state is not valid JSON', { cause: err });
  }
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (typeof value === 'object' && value !== null && ('type' in value || 'stream' in value || 'global' in value)) list = [value];
  else if (typeof value === 'object' && value !== null) list = [{ type: 'LEGACY', data: value }];
  else throw new StateInvalidError('A state must be a JSON array of state messages', { context: {} });
  list.forEach((s, i) => {
    const issues = validateStateMessage(s);
    if (issues.length > 0) {
      throw new StateInvalidError('A state message is not valid', { context: { index: i, problem: `${issues[0]!.path || '/'} ${issues[0]!.message}` } });
    }
    const kind = (s as { type?: string }).type;
    if (kind === 'STREAM' && !(s as AirbyteStateMessage).stream?.stream_descriptor) throw new StateInvalidError('A STREAM state needs stream.stream_descriptor', { context: { index: i } });
    if (kind === 'GLOBAL' && !(s as AirbyteStateMessage).global) throw new StateInvalidError('A GLOBAL state needs global', { context: { index: i } });
  });
  return StateSet.from(list as AirbyteStateMessage[]).toArray();
}
