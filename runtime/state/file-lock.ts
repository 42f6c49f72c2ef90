import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StateCommitError, StateLockedError } from '../../protocol/index.js';
import { ownerState, processIdentity, type ProcessIdentity } from '../host/process-identity.js';
import { osFailure } from './os-failure.js';
import type { LockHolder, StateLock } from './state-store.js';

interface LockFile extends ProcessIdentity {
  since: string;
  purpose: string;
  /** Tells our lock from another with the same pid (a takeover compares the whole text). */
  nonce: string;
}

/** A takeover marker older than this was left by a process that died in the middle of one (they take milliseconds). */
const ABANDONED_MARKER_MS = 10_000;

/**
 * An exclusive lock as a file holding its owner (pid, host, boot id, start time, since). Created whole
 * with link(2), which fails when the file exists, so no reader ever sees a half-written lock. A lock
 * whose owner is dead on this host is taken over; one held on another host is never judged (its pid
 * means nothing here), the error names it instead.
 */
export async function acquireFileLock(path: string, o: { connection: string; purpose: string }): Promise<StateLock> {
  const me: LockFile = { ...processIdentity(), since: new Date().toISOString(), purpose: o.purpose, nonce: randomBytes(8).toString('hex') };
  const text = `${JSON.stringify(me)}\n`;
  let tookOverFrom: LockHolder | undefined;
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (err) {
    throw lockFileError(path, err);
  }
  for (let attempt = 0; ; attempt++) {
    if (await createExclusive(path, text)) break;
    const current = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    if (current === undefined) continue;
    const owner = parseOwner(current);
    const state = owner ? ownerState(owner) : 'dead';
    if (state !== 'dead' || attempt >= 5) throw lockedError(path, o.connection, owner, state);
    await takeOver(path, current);
    tookOverFrom = owner ? holderOf(owner) : { pid: 0, host: '?', since: '?' };
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    // Only ever remove our own lock: after a wrong takeover by someone else the file is theirs.
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === text) await unlink(path).catch(() => {});
  };
  return { ...(tookOverFrom ? { tookOverFrom } : {}), release, [Symbol.asyncDispose]: release };
}

async function createExclusive(path: string, text: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
    await link(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockFileError(path, err);
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/**
 * Removes a stale lock, serialised by a marker file: two processes that both saw the same dead owner
 * must not both delete, or the slower one would delete the lock the faster one just created. Under the
 * marker the lock is read again and removed only if it is still the stale one.
 */
async function takeOver(path: string, staleText: string): Promise<void> {
  const marker = `${path}.takeover`;
  try {
    await writeFile(marker, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const age = await stat(marker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > ABANDONED_MARKER_MS) await unlink(marker).catch(() => {});
    else await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === staleText) await unlink(path);
  } finally {
    await unlink(marker).catch(() => {});
  }
}

function parseOwner(text: string): LockFile | undefined {
  try {
    const v = JSON.parse(text) as LockFile;
    return typeof v === 'object' && v !== null && Number.isInteger(v.pid) ? v : undefined;
  } catch {
    return undefined;
  }
}

function holderOf(owner: LockFile): LockHolder {
  return { pid: owner.pid, host: owner.host, since: owner.since, ...(owner.purpose ? { purpose: owner.purpose } : {}) };
}

function lockedError(path: string, connection: string, owner: LockFile | undefined, state: string): StateLockedError {
  const holder = owner ? holderOf(owner) : undefined;
  return new StateLockedError('Another airdock run holds this connection', {
    context: { connection, ...(holder ?? {}), lock: path },
    ...(state === 'unknown' ? { hint: `It runs on another host; if that process is gone, delete ${path}` } : {}),
  });
}

function lockFileError(path: string, err: unknown): StateCommitError {
  const { reason, hint } = osFailure(err, 'write');
  return new StateCommitError('The lock file cannot be created', { cause: err, context: { path, reason }, ...(hint ? { hint } : {}) });
}
