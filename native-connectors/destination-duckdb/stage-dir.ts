import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'airdock-duckdb-stage-';

/**
 * A new staging folder for this process's batches, named after its pid. A destination killed with
 * SIGKILL cannot remove its folder, so each write first removes the folders of processes that are no
 * longer running (a staged batch is worth nothing once its writer is gone: it was never committed).
 */
export function createStageDir(parent = tmpdir()): string {
  sweepStaleStageDirs(parent);
  return mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
}

export function sweepStaleStageDirs(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^airdock-duckdb-stage-(\d+)-/.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user. Only "no such process" makes a folder stale.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
