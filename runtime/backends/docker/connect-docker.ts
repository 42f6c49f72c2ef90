import type { DockerBackend, DockerBackendOptions } from './docker-backend.js';

/** The Docker backend, loaded on demand so that importing airdock does not load dockerode. */
export async function connectDocker(options: DockerBackendOptions = {}): Promise<DockerBackend> {
  const { DockerBackend } = await import('./docker-backend.js');
  return DockerBackend.connect(options);
}
