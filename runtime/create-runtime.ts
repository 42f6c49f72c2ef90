import { join } from 'node:path';
import { ProcessBackend } from './backends/process-backend.js';
import { PythonBackend } from './backends/python-backend.js';
import { Connector, type ConnectorOptions } from './connector.js';
import { resolveConnector, type ConnectorRefOptions, type ResolvedConnector } from './connector-ref.js';
import { Launcher } from './launcher/launcher.js';
import { Logger } from './log/logger.js';
import { SecretRedactor } from './log/secret-redactor.js';
import { loadOptions, type RuntimeOptions } from './options.js';
import { ManifestStore } from './python/manifest-store.js';
import { PythonEnvs } from './python/python-envs.js';

export interface Runtime {
  launcher: Launcher;
  log: Logger;
  options: RuntimeOptions;
  /** The venvs of Python connectors (and of the declarative runner) under AIRDOCK_HOME. */
  pythonEnvs: PythonEnvs;
  /** Cached declarative manifests and the runner that runs them. */
  manifests: ManifestStore;
  /** Knows the secrets of every config the runtime's connectors ran with; the default logger masks them. */
  redactor: SecretRedactor;
  /** What a `<ref>` runs as, without opening it (`airdock install` uses it). */
  resolve(ref: string, c?: ConnectorRefOptions): Promise<ResolvedConnector>;
  /** A connector from a `<ref>` (image, native:name, path, or catalog name). */
  connector(ref: string, options?: ConnectorRefOptions & Omit<ConnectorOptions, 'launcher' | 'target' | 'name'>): Promise<Connector>;
}

export interface CreateRuntimeOptions {
  options?: RuntimeOptions;
  log?: Logger;
  redactor?: SecretRedactor;
}

/**
 * Wires the launcher with its backends: local programs, images (Docker, or pods on Kubernetes), and
 * Python or declarative connectors (venvs under AIRDOCK_HOME, started as local programs). The image
 * backends (dockerode, the Kubernetes client) are loaded the first time an image runs on them, so
 * process-only use never pays for them.
 */
export function createRuntime(o: CreateRuntimeOptions = {}): Runtime {
  const options = o.options ?? loadOptions();
  const redactor = o.redactor ?? new SecretRedactor();
  const log = o.log ?? new Logger({ level: options.logLevel, redact: redactor.redact });
  const processBackend = new ProcessBackend({ jobRoot: options.jobRoot, baseEnv: options.processEnv, log });
  const pythonEnvs = new PythonEnvs({
    root: join(options.home, 'python'), env: options.processEnv, log,
    ...(options.python ? { python: options.python } : {}), ...(options.pythonInstaller ? { installer: options.pythonInstaller } : {}),
  });
  const manifests = new ManifestStore({
    root: join(options.home, 'manifests'), envs: pythonEnvs, offline: options.offline,
    ...(options.cdkVersion ? { cdkVersion: options.cdkVersion } : {}), ...(options.metadataUrl ? { metadataUrl: options.metadataUrl } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const launcher = new Launcher({
    log,
    backends: {
      process: processBackend,
      python: new PythonBackend({ process: processBackend, envs: pythonEnvs, manifests, log }),
      docker: async () => {
        const { DockerBackend } = await import('./backends/docker/docker-backend.js');
        return DockerBackend.connect({ log });
      },
      kubernetes: async () => {
        const { KubernetesBackend } = await import('./backends/kubernetes/kubernetes-backend.js');
        return KubernetesBackend.connect({ ...options.kubernetes, log });
      },
    },
    imageBackend: options.backend,
  });
  const resolve = (ref: string, c: ConnectorRefOptions = {}) => {
    const { pull, prefer, executor, version, registry, offline, home, packageRoot } = c;
    return resolveConnector(ref, {
      ...(pull ? { pull } : {}), ...(prefer ? { prefer } : {}), ...(executor ? { executor } : {}), ...(version ? { version } : {}),
      registry: registry ?? options.registry, offline: offline ?? options.offline,
      home: home ?? options.home, ...(packageRoot ? { packageRoot } : {}), python: options.python, env: options.processEnv, log,
    });
  };
  return {
    launcher, log, options, redactor, pythonEnvs, manifests, resolve,
    async connector(ref, c = {}) {
      const { pull, prefer, executor, version, registry, offline, home, packageRoot, ...rest } = c;
      const resolved = await resolve(ref, {
        ...(pull ? { pull } : {}), ...(prefer ? { prefer } : {}), ...(executor ? { executor } : {}), ...(version ? { version } : {}),
        ...(registry !== undefined ? { registry } : {}), ...(offline !== undefined ? { offline } : {}), ...(home ? { home } : {}),
        ...(packageRoot ? { packageRoot } : {}),
      });
      return new Connector({ redactor, ...rest, launcher, target: resolved.target, name: resolved.name, log: rest.log ?? log.child(resolved.name) });
    },
  };
}
