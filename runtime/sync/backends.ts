import type { Backend, LaunchTarget } from '../launcher/backend.js';
import type { Logger } from '../log/logger.js';
import type { Backends } from './run-sync.js';

/**
 * Picks the backend for a target: local programs (native connectors included) run as processes,
 * images in Docker. The Docker backend (and dockerode) is imported only when an image is used.
 */
export function defaultBackends(options: { tmpRoot: string; processEnv: Readonly<Record<string, string>>; log?: Logger }): Backends {
  let processBackend: Promise<Backend> | undefined;
  let dockerBackend: Promise<Backend> | undefined;
  return {
    for(target: LaunchTarget): Promise<Backend> {
      if (target.kind === 'command') {
        processBackend ??= import('../backends/process-backend.js').then((m) => new m.ProcessBackend({ tmpRoot: options.tmpRoot, baseEnv: options.processEnv }));
        return processBackend;
      }
      dockerBackend ??= import('../backends/docker/docker-backend.js').then((m) => m.DockerBackend.connect({ ...(options.log ? { log: options.log } : {}) }));
      return dockerBackend;
    },
  };
}
