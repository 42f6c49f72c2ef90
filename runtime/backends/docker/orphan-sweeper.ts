import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { isAlive } from '../../host/process-identity.js';
import type { Logger } from '../../log/logger.js';
import { LABEL_HOST, LABEL_PID, LABEL_RUN_ID } from './labels.js';

/**
 * Removes containers a dead airdock process left behind (a crash, kill -9, a lost terminal). Only
 * containers started from this host are judged: a pid means nothing on another machine.
 */
export async function sweepOrphans(docker: Docker, log?: Logger): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL_RUN_ID] } });
  const host = hostname();
  let removed = 0;
  for (const c of containers) {
    const pid = Number(c.Labels[LABEL_PID]);
    if (c.Labels[LABEL_HOST] !== host || !Number.isInteger(pid) || isAlive(pid)) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
      removed++;
    } catch { /* already gone, or being removed by someone else */ }
  }
  if (removed > 0) log?.info(`removed ${removed} container(s) left behind by an earlier airdock run`);
  return removed;
}

