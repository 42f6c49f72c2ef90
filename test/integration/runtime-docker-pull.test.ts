/** Pull policies against the local registry the CI setup runs (AIRDOCK_TEST_REGISTRY, host:port). */
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageNotFoundError, ImagePullError } from '../../protocol/index.js';
import { DockerBackend } from '../../runtime/backends/docker/docker-backend.js';
import { Connector } from '../../runtime/connector.js';
import { Launcher } from '../../runtime/launcher/launcher.js';
import type { PullPolicy } from '../../runtime/launcher/backend.js';
import { Logger } from '../../runtime/log/logger.js';
import { docker, MISBEHAVE_IMAGE, registryAddr, requireDockerDaemon } from '../support/runtime-env.js';

const registry = registryAddr();
const repo = () => `${registry}/airdock-test/misbehave-pull`;
const notes: string[] = [];
const log = new Logger({ level: 'info', write: (l) => notes.push(l) });
const launcher = new Launcher({ backends: { docker: () => DockerBackend.connect({ log }) }, log });
const spec = (image: string, pull: PullPolicy) => new Connector({ launcher, name: 'pull', target: { kind: 'image', image, pull }, validate: false }).spec();

async function untag(image: string) {
  await docker.getImage(image).remove({ force: true }).catch(() => {});
}

beforeAll(async () => {
  await requireDockerDaemon();
  // Publish the fixture image to the local registry under a tag this test owns.
  await docker.getImage(MISBEHAVE_IMAGE).tag({ repo: repo(), tag: '1' });
  const stream = await docker.getImage(`${repo()}:1`).push({ authconfig: { username: '', password: '', serveraddress: registry } });
  await new Promise<void>((res, rej) => docker.modem.followProgress(stream, (e: unknown, out: Array<{ error?: string }>) => {
    const failed = out?.find((o) => o.error);
    if (e || failed) rej(e ?? new Error(failed!.error)); else res();
  }));
});

describe('pull policies', () => {
  it('missing: pulls an absent image from the registry, then runs it', async () => {
    await untag(`${repo()}:1`);
    expect((await spec(`${repo()}:1`, 'missing')).connectionSpecification).toBeTruthy();
    expect(notes.some((n) => n.includes(`pulling ${repo()}:1`))).toBe(true);
  });

  it('never: an absent image is ImageNotFoundError naming the image and registry', async () => {
    await untag(`${repo()}:1`);
    const err = await spec(`${repo()}:1`, 'never').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageNotFoundError);
    expect((err as ImageNotFoundError).context).toMatchObject({ image: `${repo()}:1`, registry });
  });

  it('always: pulls even when present; digests work', async () => {
    await spec(`${repo()}:1`, 'always');
    const digest = (await docker.getImage(`${repo()}:1`).inspect()).RepoDigests.find((d) => d.startsWith(repo()));
    expect(digest).toBeTruthy();
    await untag(digest!);
    expect((await spec(digest!, 'missing')).connectionSpecification).toBeTruthy();
  });

  it('an unknown tag is ImagePullError with image, registry and cause', async () => {
    const err = await spec(`${repo()}:does-not-exist`, 'missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as ImagePullError).context).toMatchObject({ image: `${repo()}:does-not-exist`, registry });
    expect(String((err as ImagePullError).context.reason)).toMatch(/not found|unknown|manifest/i);
  });
});
