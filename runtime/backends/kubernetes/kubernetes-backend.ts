import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { KubernetesUnavailableError, PodStartError, PodUnschedulableError } from '../../../protocol/index.js';
import type { Backend, ConnectorProcess, LaunchTarget, StartOptions } from '../../launcher/backend.js';
import type { Logger } from '../../log/logger.js';
import { attachPod } from './pod-attach.js';
import { POD_JOB_DIR, jobFrame } from './job-gate.js';
import { CONTAINER_NAME, podManifest, podName, type PodPlacement } from './pod-manifest.js';
import { PodProcess } from './pod-process.js';
import { waitUntilStarted } from './pod-status.js';
import { sweepOrphanPods } from './orphan-pod-sweeper.js';
import { deletePod } from './delete-pod.js';

export interface KubernetesBackendOptions extends Partial<PodPlacement> {
  /** Default: KUBECONFIG, ~/.kube/config, or the pod's service account when airdock runs in a cluster. */
  kubeConfig?: KubeConfig;
  /** How long a pod may take to be scheduled and to start its container. Default 120 s. */
  startTimeoutMs?: number;
  /** Delete pods that dead airdock processes left behind. Default true. */
  sweep?: boolean;
  log?: Logger;
}

/**
 * Runs connector images as pods, one per run, through the Kubernetes API: Kubernetes schedules,
 * pulls and runs; we attach to the container's stdio (job files first, over stdin: job-gate.ts),
 * take the exit code and OOMKilled from the pod status, and delete the pod on every path.
 */
export class KubernetesBackend implements Backend {
  readonly name = 'kubernetes';
  readonly kc: KubeConfig;
  readonly api: CoreV1Api;
  readonly placement: PodPlacement;
  readonly #startTimeoutMs: number;
  readonly #log: Logger | undefined;

  constructor(kc: KubeConfig, placement: PodPlacement, o: { startTimeoutMs?: number; log?: Logger } = {}) {
    this.kc = kc;
    this.api = kc.makeApiClient(CoreV1Api);
    this.placement = placement;
    this.#startTimeoutMs = o.startTimeoutMs ?? 120_000;
    this.#log = o.log;
  }

  /** Loads the kubeconfig, checks the namespace answers, sweeps orphan pods. */
  static async connect(o: KubernetesBackendOptions = {}): Promise<KubernetesBackend> {
    let kc = o.kubeConfig;
    if (!kc) {
      kc = new KubeConfig();
      try {
        kc.loadFromDefault();
      } catch (err) {
        throw new KubernetesUnavailableError('The kubeconfig could not be loaded', { cause: err, context: { reason: (err as Error).message.slice(0, 200) } });
      }
    }
    const namespace = o.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
    const { kubeConfig: _k, sweep, startTimeoutMs, log, ...placement } = o;
    const backend = new KubernetesBackend(kc, { ...placement, namespace }, { ...(startTimeoutMs ? { startTimeoutMs } : {}), ...(log ? { log } : {}) });
    try {
      await backend.api.listNamespacedPod({ namespace, limit: 1 });
    } catch (err) {
      throw new KubernetesUnavailableError('The Kubernetes API is not reachable', {
        cause: err, context: { server: kc.getCurrentCluster()?.server, namespace, reason: reasonOf(err) },
      });
    }
    if (sweep !== false) await sweepOrphanPods(backend.api, namespace, log).catch((err) => log?.debug(`orphan pod sweep failed: ${(err as Error).message}`));
    return backend;
  }

  jobDir(): string {
    return POD_JOB_DIR;
  }

  async start(target: LaunchTarget, o: StartOptions): Promise<ConnectorProcess> {
    if (target.kind !== 'image') throw new PodStartError('The Kubernetes backend runs images, not commands', { context: { target: target.kind } });
    o.signal?.throwIfAborted();
    const { namespace } = this.placement;
    const name = podName(o.connectorName, o.runId);
    const context = { image: target.image, connector: o.connectorName, pod: name, namespace };
    const graceMs = 10_000;
    const manifest = podManifest({
      name, image: target.image, pull: target.pull ?? 'missing', argv: o.argv, runId: o.runId, connectorName: o.connectorName, graceMs,
      ...(o.env ? { env: o.env } : {}), ...(o.limits ? { limits: o.limits } : {}),
    }, { ...this.placement, ...(o.networkMode === 'host' ? { hostNetwork: true } : {}) });
    try {
      await this.api.createNamespacedPod({ namespace, body: manifest });
    } catch (err) {
      const reason = reasonOf(err);
      if (/exceeded quota/i.test(reason)) throw new PodUnschedulableError('A resource quota refused the pod', { cause: err, context: { ...context, reason } });
      const code = (err as { code?: number }).code;
      if (code === 401 || code === 403 || code === 404) throw new KubernetesUnavailableError('The Kubernetes API refused to create the pod', { cause: err, context: { ...context, status: code, reason } });
      throw new PodStartError('The pod could not be created', { cause: err, context: { ...context, reason } });
    }
    const remove = () => deletePod(this.api, namespace, name);
    try {
      const started = await waitUntilStarted(this.api, namespace, name, this.#startTimeoutMs, context, o.signal);
      if (started.state === 'terminated') {
        throw new PodStartError('The pod\'s container ended before it could be attached', { context: { ...context, exitCode: started.exitCode, reason: started.reason } });
      }
      const streams = await attachPod(this.kc, namespace, name, CONTAINER_NAME, o.signal).catch((err: unknown) => {
        if (o.signal?.aborted) throw err;
        throw new PodStartError('The pod\'s stdio could not be attached', { cause: err, context: { ...context, reason: reasonOf(err) } });
      });
      // the gate: job files first; the connector starts once they are in
      streams.stdin.write(jobFrame(o.files));
      if (!o.stdin) streams.stdin.end();
      (o.log ?? this.#log)?.debug(`pod ${namespace}/${name} attached`);
      return new PodProcess(this.api, namespace, name, streams, o, remove);
    } catch (err) {
      await remove();
      throw err;
    }
  }
}

function reasonOf(err: unknown): string {
  const e = err as { body?: unknown; message?: string; code?: number };
  let body = e.body;
  if (typeof body === 'string') { try { body = JSON.parse(body); } catch { /* plain text */ } }
  const msg = (body as { message?: string } | undefined)?.message ?? e.message ?? String(err);
  return String(msg).trim().slice(0, 300);
}
