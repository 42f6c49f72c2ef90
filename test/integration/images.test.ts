/**
 * Proves the CI setup (scripts/ci-setup.sh): Docker answers, the locally built images run, the faker
 * speaks the protocol, the misbehave image misbehaves, and the local registry holds the faker.
 */
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FAKER_VERSION } from '../support/images.js';
import { fakerBin, fakerImage, misbehaveImage, registryAddr, requireDocker, requireImage } from '../support/services.js';

/** Runs a container to its end through dockerode (no CLI), collecting stdout and stderr apart. */
async function runContainer(image: string, cmd: string[], env: string[] = []) {
  const docker = await requireDocker();
  await requireImage(image);
  const container = await docker.createContainer({
    Image: image, Cmd: cmd, Env: env, Tty: false, AttachStdout: true, AttachStderr: true,
    Labels: { 'airdock.test': 'images' }, HostConfig: { NetworkMode: 'none' },
  });
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out = new PassThrough(); const err = new PassThrough();
    const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
    out.on('data', (c: Buffer) => chunks.out.push(c)); err.on('data', (c: Buffer) => chunks.err.push(c));
    container.modem.demuxStream(stream, out, err);
    const ended = new Promise((r) => stream.on('end', r));
    // 'next-exit' before start: the default condition returns at once for a container not yet started
    const exited = container.wait({ condition: 'next-exit' });
    await container.start();
    const { StatusCode } = (await exited) as { StatusCode: number };
    await ended;
    return { code: StatusCode, stdout: Buffer.concat(chunks.out).toString('utf8'), stderr: Buffer.concat(chunks.err).toString('utf8') };
  } finally {
    await container.remove({ force: true });
  }
}

const messages = (stdout: string) =>
  stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });

describe('CI setup: Docker, images, registry', () => {
  it('the Docker daemon answers', async () => {
    const info = await (await requireDocker()).info();
    expect(info.ServerVersion).toMatch(/^\d+\./);
  });

  it(`the real faker image (${FAKER_VERSION}) answers spec through dockerode, as uid 1000, with AIRBYTE_ENTRYPOINT`, async () => {
    const image = fakerImage();
    const inspected = await (await requireDocker()).getImage(image).inspect();
    expect(inspected.Config.Env).toEqual(expect.arrayContaining([expect.stringMatching(/^AIRBYTE_ENTRYPOINT=\/\S+/)]));
    expect(inspected.Config.User).toBe('airbyte');
    const r = await runContainer(image, ['spec']);
    expect(r.code).toBe(0);
    const spec = messages(r.stdout).find((m) => m.type === 'SPEC') as { spec: { connectionSpecification: { properties: object } } } | undefined;
    expect(spec?.spec.connectionSpecification.properties).toHaveProperty('count');
  });

  it('the faker also runs as a local program', () => {
    const out = execFileSync(fakerBin(), ['spec'], { encoding: 'utf8', timeout: 60_000 });
    expect(messages(out).map((m) => m.type)).toContain('SPEC');
  });

  it('the misbehave image speaks the protocol in mode ok and exits 137 in mode exit137', async () => {
    const ok = await runContainer(misbehaveImage(), ['spec']);
    expect(ok.code).toBe(0);
    expect(messages(ok.stdout).map((m) => m.type)).toEqual(['SPEC']);
    const killed = await runContainer(misbehaveImage(), ['spec'], ['MISBEHAVE_MODE=exit137']);
    expect(killed.code).toBe(137);
    expect(killed.stderr).toContain('killed');
  });

  it('the local registry answers and holds the faker image', async () => {
    const base = `http://${registryAddr()}/v2`;
    expect((await fetch(`${base}/`)).status).toBe(200);
    const repo = fakerImage().split(':')[0];
    const tags = (await (await fetch(`${base}/${repo}/tags/list`)).json()) as { tags?: string[] };
    expect(tags.tags).toContain(FAKER_VERSION);
  });
});
