import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { StateCommitError, StateCorruptError, StateReadError, stringifyJson, type AirbyteStateMessage } from '../../protocol/index.js';
import { acquireFileLock } from './file-lock.js';
import { osFailure } from './os-failure.js';
import { parseStoredState } from './parse-stored-state.js';
import type { RecordKind, StateLock, StateStore } from './state-store.js';

/**
 * `<dir>/<connection>.json`. Writes go to a temp file in the same directory, are fsynced, renamed
 * over the old file, and the directory is fsynced: after a crash the file holds either the old or
 * the new state, never a torn mix (the failure Faros and PyAirbyte#703 show).
 */
export class FileStateStore implements StateStore {
  readonly describe: string;
  constructor(readonly dir: string) {
    this.describe = `file ${dir}`;
  }

  path(connection: string): string {
    return join(this.dir, `${connection}.json`);
  }

  async load(connection: string): Promise<AirbyteStateMessage[]> {
    const text = await this.loadText(connection);
    return text === undefined ? [] : parseStoredState(text, { path: this.path(connection) });
  }

  async loadText(connection: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(connection), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      const { reason, hint } = osFailure(err, 'read');
      throw new StateReadError('The state file cannot be read', { cause: err, context: { path: this.path(connection), reason }, ...(hint ? { hint } : {}) });
    }
  }

  async save(connection: string, states: readonly AirbyteStateMessage[]): Promise<void> {
    await this.#write(this.path(connection), `${stringifyJson(states)}\n`, 'The state file cannot be written');
  }

  /** `<dir>/<connection>.<kind>.json`. */
  async loadRecord(connection: string, kind: RecordKind): Promise<unknown> {
    const path = join(this.dir, `${connection}.${kind}.json`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateCommitError('The state folder cannot be read', { cause: err, context: { path } });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new StateCorruptError('A record beside the state is not valid JSON', { cause: err, context: { path } });
    }
  }

  async saveRecord(connection: string, kind: RecordKind, value: unknown): Promise<void> {
    const path = join(this.dir, `${connection}.${kind}.json`);
    if (value === undefined) {
      await rm(path, { force: true });
      return;
    }
    await this.#write(path, `${JSON.stringify(value)}\n`, 'A record beside the state cannot be written');
  }

  async #write(target: string, text: string, message: string): Promise<void> {
    // Unique per save: two saves in the same millisecond must not share (and tear) one temp file.
    const temp = `${target}.${process.pid}.${++tempCounter}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      const fh = await open(temp, 'w', 0o600);
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, target);
      await syncDir(this.dir);
    } catch (err) {
      await rm(temp, { force: true }).catch(() => {});
      const { reason, hint } = osFailure(err, 'write');
      throw new StateCommitError(message, { cause: err, context: { path: target, reason }, ...(hint ? { hint } : {}) });
    }
  }

  async clear(connection: string): Promise<void> {
    await rm(this.path(connection), { force: true });
    await syncDir(this.dir).catch(() => {});
  }

  /** `<dir>/<connection>.lock`, beside the state it protects. */
  lock(connection: string, purpose: string): Promise<StateLock> {
    return acquireFileLock(join(this.dir, `${connection}.lock`), { connection, purpose });
  }

  async close(): Promise<void> {}
  async [Symbol.asyncDispose](): Promise<void> {}
}

let tempCounter = 0;

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some filesystems refuse fsync on a directory, which is harmless.
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    /* best effort */
  } finally {
    await fh?.close();
  }
}
