import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAirdockError } from '../../protocol/index.js';
import { acquireFileLock } from '../state/file-lock.js';

/**
 * Runs `fn` holding an exclusive lock file, waiting while another live airdock process holds it: two
 * commands that need the same venv or package at once install it once, the second then finds it done.
 * A lock left by a dead process is taken over (see acquireFileLock); one held on another host is an error.
 */
export async function withInstallLock<T>(path: string, what: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    signal?.throwIfAborted();
    let lock: Awaited<ReturnType<typeof acquireFileLock>>;
    try {
      lock = await acquireFileLock(path, { connection: what, purpose: 'install' });
    } catch (err) {
      if (isAirdockError(err) && err.code === 'AIRDOCK_STATE_LOCKED' && err.context.host === hostname()) {
        await sleep(300, undefined, signal ? { signal } : undefined);
        continue;
      }
      throw err;
    }
    try {
      return await fn();
    } finally {
      await lock.release();
    }
  }
}
