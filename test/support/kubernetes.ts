/**
 * What the Kubernetes tests take from `scripts/setup/kubernetes.sh` (via the services env file): the
 * local one-node cluster's kubeconfig, the test namespace and the node. Missing pieces throw (tests
 * fail, never skip) with what to run.
 */
import { existsSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { isAlive } from '../../runtime/host/process-identity.js';
import { KubernetesBackend } from '../../runtime/backends/kubernetes/kubernetes-backend.js';
import type { Logger } from '../../runtime/log/logger.js';
import { requireEnv } from './services.js';

export interface TestCluster {
  kubeconfig: string;
  namespace: string;
  node: string;
  kc: KubeConfig;
  api: CoreV1Api;
  /** The environment a CLI run needs to put its pods on this cluster. */
  env: Record<string, string>;
}

let cluster: TestCluster | undefined;

/** The local cluster, checked to answer; throws with the command to run when it does not. */
export async function requireCluster(): Promise<TestCluster> {
  if (cluster) return cluster;
  const kubeconfig = requireEnv('AIRDOCK_TEST_KUBECONFIG');
  const namespace = requireEnv('AIRDOCK_TEST_K8S_NAMESPACE');
  const node = requireEnv('AIRDOCK_TEST_K8S_NODE');
  const hint = 'run `sudo bash scripts/setup/kubernetes.sh start` (or `npm test`, which runs scripts/ci-setup.sh)';
  if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}: ${hint}`);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = kc.makeApiClient(CoreV1Api);
  try {
    await api.readNode({ name: node });
  } catch (err) {
    throw new Error(`the test cluster does not answer (${(err as Error).message.slice(0, 200)}): ${hint}`, { cause: err });
  }
  // no scheduler and no pod network in the test cluster: pods name their node and use its network
  const env = { KUBECONFIG: kubeconfig, AIRDOCK_K8S_NAMESPACE: namespace, AIRDOCK_K8S_NODE_NAME: node, AIRDOCK_K8S_HOST_NETWORK: '1' };
  cluster = { kubeconfig, namespace, node, kc, api, env };
  return cluster;
}

export async function kubernetesBackend(log?: Logger, extra: { startTimeoutMs?: number } = {}): Promise<KubernetesBackend> {
  const c = await requireCluster();
  return KubernetesBackend.connect({ kubeConfig: c.kc, namespace: c.namespace, nodeName: c.node, hostNetwork: true, ...(log ? { log } : {}), ...extra });
}

/** Pods our labels say this process (or an exited CLI run it spawned) left behind. */
export async function leftoverPods(): Promise<string[]> {
  const c = await requireCluster();
  const pods = await c.api.listNamespacedPod({ namespace: c.namespace, labelSelector: 'airdock.run-id' });
  return pods.items.filter((p) => {
    const pid = Number(p.metadata?.labels?.['airdock.pid']);
    return pid === process.pid || !isAlive(pid);
  }).map((p) => `${p.metadata?.name} (${p.status?.phase})`);
}
