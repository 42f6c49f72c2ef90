import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Parents already swept for a prefix by this process: one sweep per process is enough. */
const swept = new Set<string>();

/**
 * A new temp folder owned by this process: `<prefix><pid>-<random>`. A connector killed with SIGKILL
 * cannot remove its folders (staged batches, Parquet spools, local copies of objects), so the first
 * call for a prefix removes the folders of that prefix whose process is no longer running: what they
 * hold was never committed and is worth nothing once its writer is gone.
 */
export function createOwnedTempDir(prefix: string, parent = tmpdir()): string {
  const key = `${parent}\0${prefix}`;
  if (!swept.has(key)) {
    sweepOrphanedTempDirs(prefix, parent);
    swept.add(key);
  }
  return mkdtempSync(join(parent, `${prefix}${process.pid}-`));
}

export function sweepOrphanedTempDirs(prefix: string, parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user. Only "no such process" makes a folder orphaned.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
