import { hostname } from 'node:os';
import type { CoreV1Api } from '@kubernetes/client-node';
import { isAlive } from '../../host/process-identity.js';
import type { Logger } from '../../log/logger.js';
import { LABEL_HOST, LABEL_PID, LABEL_RUN_ID } from '../docker/labels.js';
import { labelValue } from './pod-manifest.js';

/**
 * Deletes pods a dead airdock process left behind (a crash, kill -9, a lost terminal). Only pods
 * started from this host are judged: a pid means nothing on another machine.
 */
export async function sweepOrphanPods(api: CoreV1Api, namespace: string, log?: Logger): Promise<number> {
  const pods = await api.listNamespacedPod({ namespace, labelSelector: LABEL_RUN_ID });
  const host = labelValue(hostname());
  let removed = 0;
  for (const p of pods.items) {
    const labels = p.metadata?.labels ?? {};
    const pid = Number(labels[LABEL_PID]);
    if (labels[LABEL_HOST] !== host || !Number.isInteger(pid) || isAlive(pid) || !p.metadata?.name) continue;
    try {
      await api.deleteNamespacedPod({ name: p.metadata.name, namespace, gracePeriodSeconds: 0 });
      removed++;
    } catch { /* already gone, or being deleted by someone else */ }
  }
  if (removed > 0) log?.info(`deleted ${removed} pod(s) left behind by an earlier airdock run`);
  return removed;
}
