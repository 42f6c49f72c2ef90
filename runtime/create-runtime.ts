import { ProcessBackend } from './backends/process-backend.js';
import { Connector, type ConnectorOptions } from './connector.js';
import { resolveConnector, type ConnectorRefOptions } from './connector-ref.js';
import { Launcher } from './launcher/launcher.js';
import { Logger } from './log/logger.js';
import { SecretRedactor } from './log/secret-redactor.js';
import { loadOptions, type RuntimeOptions } from './options.js';

export interface Runtime {
  launcher: Launcher;
  log: Logger;
  options: RuntimeOptions;
  /** Knows the secrets of every config the runtime's connectors ran with; the default logger masks them. */
  redactor: SecretRedactor;
  /** A connector from a `<ref>` (image, native:name, path, or catalog name). */
  connector(ref: string, options?: ConnectorRefOptions & Omit<ConnectorOptions, 'launcher' | 'target' | 'name'>): Promise<Connector>;
}

export interface CreateRuntimeOptions {
  options?: RuntimeOptions;
  log?: Logger;
  redactor?: SecretRedactor;
}

/**
 * Wires the launcher with both backends. The Docker backend (and dockerode) is loaded the first time
 * an image is run, so process-only use never pays for it.
 */
export function createRuntime(o: CreateRuntimeOptions = {}): Runtime {
  const options = o.options ?? loadOptions();
  const redactor = o.redactor ?? new SecretRedactor();
  const log = o.log ?? new Logger({ level: options.logLevel, redact: redactor.redact });
  const launcher = new Launcher({
    log,
    backends: {
      process: new ProcessBackend({ jobRoot: options.jobRoot, baseEnv: options.processEnv, log }),
      docker: async () => {
        const { DockerBackend } = await import('./backends/docker/docker-backend.js');
        return DockerBackend.connect({ log });
      },
    },
  });
  return {
    launcher, log, options, redactor,
    async connector(ref, c = {}) {
      const { pull, prefer, registry, offline, home, packageRoot, ...rest } = c;
      const resolved = await resolveConnector(ref, {
        ...(pull ? { pull } : {}), ...(prefer ? { prefer } : {}), registry: registry ?? options.registry, offline: offline ?? options.offline,
        home: home ?? options.home, ...(packageRoot ? { packageRoot } : {}),
      });
      return new Connector({ redactor, ...rest, launcher, target: resolved.target, name: resolved.name, log: rest.log ?? log.child(resolved.name) });
    },
  };
}
