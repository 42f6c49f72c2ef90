import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { PodImageError, PodStartError, PodUnschedulableError } from '../../../protocol/index.js';

const POLL_MS = 100;
/** The kubelet gives up on these at once, or will only retry the same failure: no point waiting. */
const IMAGE_FAILURES = new Set(['ErrImageNeverPull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageInspect']);
const ADMISSION_FAILURE = /^(OutOf|NodeAffinity|NodeSelector|Taint|Node didn)/;
const START_FAILURES = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'PreCreateHookError', 'PreStartHookError']);

export type PodStarted = { state: 'running' } | { state: 'terminated'; exitCode: number; reason?: string };

/**
 * Waits until the pod's container runs (it then blocks on the stdin gate), or fails with a clear
 * error: an image that is missing or cannot be pulled, a container that cannot be created, or no
 * node taking the pod before `timeoutMs`. A Pending pod is not an error until the timeout: capacity
 * may free up, as Kubernetes itself assumes.
 */
export async function waitUntilStarted(api: CoreV1Api, namespace: string, name: string, timeoutMs: number, context: Record<string, unknown>, signal?: AbortSignal): Promise<PodStarted> {
  const deadline = Date.now() + timeoutMs;
  let pod: V1Pod | undefined;
  for (;;) {
    signal?.throwIfAborted();
    pod = await api.readNamespacedPod({ name, namespace });
    const status = pod.status?.containerStatuses?.[0]?.state;
    if (status?.running) return { state: 'running' };
    if (status?.terminated) return { state: 'terminated', exitCode: status.terminated.exitCode, ...(status.terminated.reason ? { reason: status.terminated.reason } : {}) };
    const waiting = status?.waiting;
    if (waiting?.reason && IMAGE_FAILURES.has(waiting.reason)) {
      throw new PodImageError('The pod\'s image is not available on the node', { context: { ...context, reason: waiting.reason, message: short(waiting.message) } });
    }
    if (waiting?.reason && START_FAILURES.has(waiting.reason)) {
      throw new PodStartError('The pod\'s container could not be started', { context: { ...context, reason: waiting.reason, message: short(waiting.message) } });
    }
    // a node's kubelet refuses pods it cannot hold (OutOfmemory, OutOfcpu, NodeAffinity...) when they name it
    if (pod.status?.phase === 'Failed' && ADMISSION_FAILURE.test(pod.status.reason ?? '')) {
      throw new PodUnschedulableError('The node refused the pod', { context: { ...context, reason: pod.status.reason, message: short(pod.status.message) } });
    }
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
      throw new PodStartError('The pod ended before its container started', { context: { ...context, reason: pod.status.reason ?? pod.status.phase, message: short(pod.status.message) } });
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), signal);
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (!pod.spec?.nodeName || scheduled?.status === 'False') {
    throw new PodUnschedulableError('No node took the pod within the start timeout', {
      context: { ...context, timeoutMs, reason: scheduled?.reason ?? 'NotScheduled', message: short(scheduled?.message) },
    });
  }
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  throw new PodStartError('The pod did not start within the start timeout', {
    context: { ...context, timeoutMs, node: pod.spec.nodeName, reason: waiting?.reason ?? pod.status?.phase ?? 'Pending', message: short(waiting?.message) },
  });
}

export interface PodEnd {
  exitCode: number | null;
  oomKilled: boolean;
  /** `Evicted` and the like: the node ended the pod. */
  podReason?: string;
}

/** The container's end from the pod status; undefined when it does not end within `timeoutMs` (or the pod is gone). */
export async function waitForEnd(api: CoreV1Api, namespace: string, name: string, timeoutMs: number): Promise<PodEnd | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pod: V1Pod;
    try {
      pod = await api.readNamespacedPod({ name, namespace });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      if (Date.now() >= deadline) return undefined;
      await sleep(POLL_MS);
      continue;
    }
    const t = pod.status?.containerStatuses?.[0]?.state?.terminated;
    if (t) return { exitCode: t.exitCode, oomKilled: t.reason === 'OOMKilled', ...(pod.status?.reason ? { podReason: pod.status.reason } : {}) };
    if (pod.status?.phase === 'Failed') return { exitCode: null, oomKilled: false, podReason: pod.status.reason ?? 'Failed' };
    if (Date.now() >= deadline) return undefined;
    await sleep(POLL_MS);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Kubernetes' messages name images and nodes, never config values; keep them short all the same. */
function short(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.slice(0, 300);
}
