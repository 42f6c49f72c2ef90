import type { V1Pod, V1Toleration } from '@kubernetes/client-node';
import type { PullPolicy, ResourceLimits } from '../../launcher/backend.js';
import { containerLabels } from '../docker/labels.js';
import { POD_JOB_DIR, gateCommand } from './job-gate.js';

export const CONTAINER_NAME = 'connector';

/** Where and how pods run: what a cluster operator decides (namespace, node, service account...). */
export interface PodPlacement {
  namespace: string;
  /** Pin to one node (skips the scheduler); default: Kubernetes schedules. */
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  serviceAccountName?: string;
  imagePullSecrets?: string[];
  /** Share the node's network (`--network host`, or a cluster without a pod network). */
  hostNetwork?: boolean;
  /** Read-only root filesystem (job dir and /tmp are emptyDirs). Default true. */
  readOnlyRootFilesystem?: boolean;
}

export interface PodRequest {
  name: string;
  image: string;
  pull: PullPolicy;
  argv: readonly string[];
  env?: Readonly<Record<string, string>>;
  runId: string;
  connectorName: string;
  limits?: ResourceLimits;
  graceMs: number;
}

const PULL: Record<PullPolicy, string> = { missing: 'IfNotPresent', always: 'Always', never: 'Never' };

/**
 * The pod for one connector run. Nothing secret is in it: job files arrive over stdin (job-gate.ts).
 * shareProcessNamespace makes the pause container PID 1, so a connector without a SIGTERM handler
 * still stops on SIGTERM (as tini does for the Docker backend).
 */
export function podManifest(r: PodRequest, p: PodPlacement): V1Pod {
  const memory = r.limits?.memoryBytes ? String(r.limits.memoryBytes) : undefined;
  const cpu = r.limits?.nanoCpus ? `${Math.max(1, Math.round(r.limits.nanoCpus / 1e6))}m` : undefined;
  const quantities = { ...(memory ? { memory } : {}), ...(cpu ? { cpu } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: r.name, namespace: p.namespace, labels: podLabels(r.runId, r.connectorName), annotations: { 'airdock.image': r.image } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: Math.max(0, Math.ceil(r.graceMs / 1000)),
      shareProcessNamespace: true,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
      ...(p.tolerations ? { tolerations: p.tolerations } : {}),
      ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
      ...(p.imagePullSecrets?.length ? { imagePullSecrets: p.imagePullSecrets.map((name) => ({ name })) } : {}),
      ...(p.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
      containers: [{
        name: CONTAINER_NAME,
        image: r.image,
        imagePullPolicy: PULL[r.pull],
        command: gateCommand(r.argv),
        stdin: true,
        stdinOnce: true,
        tty: false,
        env: [...Object.entries(r.env ?? {}).map(([name, value]) => ({ name, value })), { name: 'AIRDOCK_JOB_DIR', value: POD_JOB_DIR }],
        ...(memory || cpu ? { resources: { requests: quantities, limits: quantities } } : {}),
        securityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: r.limits?.readOnlyRoot ?? p.readOnlyRootFilesystem !== false,
        },
        volumeMounts: [{ name: 'job', mountPath: POD_JOB_DIR }, { name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [
        // memory-backed: configs never touch the node's disk
        { name: 'job', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  };
}

/** The Docker backend's labels, as valid label values (63 characters of [A-Za-z0-9._-]). */
export function podLabels(runId: string, connectorName: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(containerLabels(runId, connectorName))) out[k] = labelValue(v);
  return out;
}

export function labelValue(v: string): string {
  return v.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** A DNS label: `airdock-<connector>-<run id>`, at most 63 characters. */
export function podName(connectorName: string, runId: string): string {
  const base = connectorName.toLowerCase().replace(/^.*\//, '').replace(/:.*$/, '').replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const id = runId.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const room = 63 - 'airdock--'.length - id.length;
  return `airdock-${base.slice(0, Math.max(0, room)).replace(/-+$/, '') || 'connector'}-${id}`.slice(0, 63);
}
