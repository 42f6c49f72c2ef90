import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { StateCommitError, StateReadError, stringifyJson, type AirbyteStateMessage } from '../../protocol/index.js';
import { acquireFileLock } from './file-lock.js';
import { osFailure } from './os-failure.js';
import { parseStoredState } from './parse-stored-state.js';
import type { StateLock, StateStore } from './state-store.js';

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
    const target = this.path(connection);
    // Unique per save: two saves in the same millisecond must not share (and tear) one temp file.
    const temp = `${target}.${process.pid}.${++tempCounter}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      const fh = await open(temp, 'w', 0o600);
      try {
        await fh.writeFile(`${stringifyJson(states)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, target);
      await syncDir(this.dir);
    } catch (err) {
      await rm(temp, { force: true }).catch(() => {});
      const { reason, hint } = osFailure(err, 'write');
      throw new StateCommitError('The state file cannot be written', { cause: err, context: { path: target, reason }, ...(hint ? { hint } : {}) });
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
