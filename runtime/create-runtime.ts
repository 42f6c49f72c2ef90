import { ProcessBackend } from './backends/process-backend.js';
import { Connector, type ConnectorOptions } from './connector.js';
import { resolveConnector, type ConnectorRefOptions } from './connector-ref.js';
import { Launcher } from './launcher/launcher.js';
import { Logger } from './log/logger.js';
import { loadOptions, type RuntimeOptions } from './options.js';

export interface Runtime {
  launcher: Launcher;
  log: Logger;
  options: RuntimeOptions;
  /** A connector from a `<ref>` (image, native:name, path, or catalog name). */
  connector(ref: string, options?: ConnectorRefOptions & Omit<ConnectorOptions, 'launcher' | 'target' | 'name'>): Promise<Connector>;
}

export interface CreateRuntimeOptions {
  options?: RuntimeOptions;
  log?: Logger;
}

/**
 * Wires the launcher with both backends. The Docker backend (and dockerode) is loaded the first time
 * an image is run, so process-only use never pays for it.
 */
export function createRuntime(o: CreateRuntimeOptions = {}): Runtime {
  const options = o.options ?? loadOptions();
  const log = o.log ?? new Logger({ level: options.logLevel });
  const launcher = new Launcher({
    log,
    backends: {
      process: new ProcessBackend({ tmpRoot: options.tmpRoot, baseEnv: options.processEnv }),
      docker: async () => {
        const { DockerBackend } = await import('./backends/docker/docker-backend.js');
        return DockerBackend.connect({ log });
      },
    },
  });
  return {
    launcher, log, options,
    async connector(ref, c = {}) {
      const { pull, prefer, registry, offline, home, packageRoot, ...rest } = c;
      const resolved = await resolveConnector(ref, {
        ...(pull ? { pull } : {}), ...(prefer ? { prefer } : {}), registry: registry ?? options.registry, offline: offline ?? options.offline,
        home: home ?? options.home, ...(packageRoot ? { packageRoot } : {}),
      });
      return new Connector({ ...rest, launcher, target: resolved.target, name: resolved.name, log: rest.log ?? log.child(resolved.name) });
    },
  };
}
