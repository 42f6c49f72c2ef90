import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, ownerState } from '../host/process-identity.js';
import { readJobOwner, removeJobDir } from '../launcher/job-files.js';
import type { Logger } from '../log/logger.js';

export const JOB_DIR_PREFIX = 'airdock-job-';
/** A dir without an owner file this old was left by a crash between mkdir and the owner file (milliseconds). */
const OWNERLESS_MS = 60_000;
const TERM_GRACE_MS = 2_000;

/**
 * What the Docker orphan sweep does for containers, for local connectors: job dirs of airdock
 * processes that died (kill -9, a crash, a reboot) are removed, configs included, and a connector
 * still running from one (it outlives its parent with PPID 1 when it does not write) is stopped,
 * with its process group. Owners are judged by pid, start time and boot id, never by pid alone,
 * and only on this host; a live run's dir is never touched.
 */
export async function sweepJobDirs(root: string, log?: Logger): Promise<{ dirs: number; processes: number }> {
  let names: string[];
  try {
    names = (await readdir(root)).filter((n) => n.startsWith(JOB_DIR_PREFIX));
  } catch {
    return { dirs: 0, processes: 0 };
  }
  let dirs = 0;
  let processes = 0;
  for (const name of names) {
    const dir = join(root, name);
    const owner = await readJobOwner(dir);
    if (!owner) {
      const age = await stat(dir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age < OWNERLESS_MS) continue;
    } else {
      if (ownerState(owner.airdock) !== 'dead') continue;
      const connector = owner.connector;
      if (connector && ownerState({ ...connector, host: owner.airdock.host }) === 'alive') {
        await stopGroup(connector.pid);
        processes++;
      }
    }
    await removeJobDir(dir);
    dirs++;
  }
  if (dirs > 0) log?.info(`removed ${dirs} job dir(s) and stopped ${processes} connector process(es) left by an airdock run that died`);
  return { dirs, processes };
}

/** SIGTERM to the connector's process group (it was started as its leader), SIGKILL after a grace period. */
async function stopGroup(pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try { process.kill(-pid, s); } catch { try { process.kill(pid, s); } catch { /* gone */ } }
  };
  signal('SIGTERM');
  const end = Date.now() + TERM_GRACE_MS;
  while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) signal('SIGKILL');
}
