/**
 * What the runtime integration tests take from the CI setup (test/support/services.ts), plus one
 * helper of their own: the containers our labels say we left behind.
 */
import type Docker from 'dockerode';
import { docker as client, fakerBin, fakerImage, misbehaveImage, registryAddr, requireDocker } from './services.js';
import { isAlive } from '../../runtime/host/process-identity.js';

export const docker = client();
export { fakerBin, fakerImage, registryAddr };
export const MISBEHAVE_IMAGE = misbehaveImage();
export const requireDockerDaemon = async (): Promise<void> => { await requireDocker(); };

/**
 * Containers left behind: our label, optionally one image, owned by this process or by a process that
 * has exited (the CLI runs we spawned). Live runs of other test files sharing the daemon are not ours.
 */
export async function airdockContainers(image?: string): Promise<Docker.ContainerInfo[]> {
  const label = image ? ['airdock.run-id', `airdock.image=${image}`] : ['airdock.run-id'];
  const all = await docker.listContainers({ all: true, filters: { label } });
  return all.filter((c) => {
    const pid = Number(c.Labels['airdock.pid']);
    return pid === process.pid || !isAlive(pid);
  });
}
