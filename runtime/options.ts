import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../protocol/index.js';
import type { ImageBackendName } from './launcher/backend.js';
import type { LogLevel } from './log/logger.js';

/**
 * Everything the runtime and the CLI take from the environment, read in one place so the rest of the
 * code gets its settings through constructors (and tests can pass their own). `${VAR}` expansion in
 * config files reads `environment()`, also here.
 */
export interface RuntimeOptions {
  /** AIRDOCK_HOME, default `.airdock` in the working directory. */
  home: string;
  /** AIRDOCK_REGISTRY: a registry file or URL (catalog). */
  registry: string | undefined;
  /** AIRDOCK_OFFLINE=1: never fetch the registry. */
  offline: boolean;
  /** AIRDOCK_DEBUG=1: debug logs and stacks. */
  debug: boolean;
  /** AIRDOCK_LOG_LEVEL (debug|info|warn|error), default info (debug with AIRDOCK_DEBUG=1). */
  logLevel: LogLevel;
  /**
   * Where the process backend makes its private job directories (0700; configs inside are plain
   * text): `$XDG_RUNTIME_DIR/airdock` (a per-user tmpfs) when set, else `$AIRDOCK_HOME/jobs`. Never a
   * name in a shared /tmp.
   */
  jobRoot: string;
  /** The environment a local connector process inherits (PATH, HOME, locale...). */
  processEnv: Readonly<Record<string, string>>;
  /** AIRDOCK_PYTHON: the interpreter Python connectors' venvs are made from (default python3 on PATH). */
  python: string | undefined;
  /** AIRDOCK_PYTHON_INSTALLER=uv|pip: force one (default uv when it is on PATH, else pip). */
  pythonInstaller: 'uv' | 'pip' | undefined;
  /** AIRDOCK_CDK_VERSION: the airbyte-cdk whose declarative runner runs manifests. */
  cdkVersion: string | undefined;
  /** AIRDOCK_METADATA_URL: where manifests are fetched from (default beside the registry). */
  metadataUrl: string | undefined;
  /** AIRDOCK_STATE_FLUSH_MS: the shortest time between two saves of acknowledged state in a sync (default 1 s). */
  stateFlushMs: number | undefined;
  /** AIRDOCK_BACKEND (docker|kubernetes): what runs images. Default docker. */
  backend: ImageBackendName;
  /** Where the Kubernetes backend puts pods (the cluster itself comes from KUBECONFIG or the in-cluster account). */
  kubernetes: KubernetesSettings;
}

export interface KubernetesSettings {
  /** AIRDOCK_K8S_NAMESPACE; default the kubeconfig context's namespace, else `default`. */
  namespace?: string;
  /** AIRDOCK_K8S_NODE_NAME: pin pods to one node (no scheduler involved). */
  nodeName?: string;
  /** AIRDOCK_K8S_NODE_SELECTOR: `key=value,key=value`. */
  nodeSelector?: Record<string, string>;
  /** AIRDOCK_K8S_SERVICE_ACCOUNT. */
  serviceAccountName?: string;
  /** AIRDOCK_K8S_IMAGE_PULL_SECRETS: secret names, comma-separated. */
  imagePullSecrets?: string[];
  /** AIRDOCK_K8S_HOST_NETWORK=1: pods on the node's network (a cluster without a pod network). */
  hostNetwork?: boolean;
  /** AIRDOCK_K8S_READ_ONLY_ROOT=0: let the connector write to its image's filesystem. */
  readOnlyRootFilesystem?: boolean;
  /** AIRDOCK_K8S_START_TIMEOUT (seconds, default 120): scheduling and start, then a clear error. */
  startTimeoutMs?: number;
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

export function loadOptions(env: NodeJS.ProcessEnv = process.env): RuntimeOptions {
  const debug = env.AIRDOCK_DEBUG === '1';
  const level = env.AIRDOCK_LOG_LEVEL?.toLowerCase();
  const processEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) processEnv[k] = v;
  const home = resolve(nonEmpty(env.AIRDOCK_HOME) ?? '.airdock');
  const runtimeDir = nonEmpty(env.XDG_RUNTIME_DIR);
  return {
    home,
    registry: nonEmpty(env.AIRDOCK_REGISTRY),
    offline: env.AIRDOCK_OFFLINE === '1',
    debug,
    logLevel: level && LEVELS.has(level) ? (level as LogLevel) : debug ? 'debug' : 'info',
    jobRoot: runtimeDir && isAbsolute(runtimeDir) ? join(runtimeDir, 'airdock') : join(home, 'jobs'),
    processEnv,
    stateFlushMs: positive(env.AIRDOCK_STATE_FLUSH_MS),
    python: nonEmpty(env.AIRDOCK_PYTHON),
    pythonInstaller: env.AIRDOCK_PYTHON_INSTALLER === 'uv' || env.AIRDOCK_PYTHON_INSTALLER === 'pip' ? env.AIRDOCK_PYTHON_INSTALLER : undefined,
    cdkVersion: nonEmpty(env.AIRDOCK_CDK_VERSION),
    metadataUrl: nonEmpty(env.AIRDOCK_METADATA_URL),
    backend: imageBackend(env.AIRDOCK_BACKEND),
    kubernetes: kubernetesSettings(env),
  };
}

function imageBackend(v: string | undefined): ImageBackendName {
  const b = nonEmpty(v)?.toLowerCase() ?? 'docker';
  if (b !== 'docker' && b !== 'kubernetes') throw new UsageError('AIRDOCK_BACKEND must be docker or kubernetes', { context: { value: b.slice(0, 40) } });
  return b;
}

function kubernetesSettings(env: NodeJS.ProcessEnv): KubernetesSettings {
  const list = (v: string | undefined) => nonEmpty(v)?.split(',').map((s) => s.trim()).filter(Boolean);
  const selector = list(env.AIRDOCK_K8S_NODE_SELECTOR);
  const timeout = positive(env.AIRDOCK_K8S_START_TIMEOUT);
  const pullSecrets = list(env.AIRDOCK_K8S_IMAGE_PULL_SECRETS);
  const s: KubernetesSettings = {};
  if (nonEmpty(env.AIRDOCK_K8S_NAMESPACE)) s.namespace = env.AIRDOCK_K8S_NAMESPACE!.trim();
  if (nonEmpty(env.AIRDOCK_K8S_NODE_NAME)) s.nodeName = env.AIRDOCK_K8S_NODE_NAME!.trim();
  if (selector) s.nodeSelector = Object.fromEntries(selector.map((kv) => { const i = kv.indexOf('='); return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)]; }));
  if (nonEmpty(env.AIRDOCK_K8S_SERVICE_ACCOUNT)) s.serviceAccountName = env.AIRDOCK_K8S_SERVICE_ACCOUNT!.trim();
  if (pullSecrets) s.imagePullSecrets = pullSecrets;
  if (env.AIRDOCK_K8S_HOST_NETWORK === '1') s.hostNetwork = true;
  if (env.AIRDOCK_K8S_READ_ONLY_ROOT === '0') s.readOnlyRootFilesystem = false;
  if (timeout) s.startTimeoutMs = timeout * 1000;
  return s;
}

/** The environment `${VAR}` references are expanded from. */
export function environment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

function positive(v: string | undefined): number | undefined {
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
