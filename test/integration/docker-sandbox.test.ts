import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../support/repo-paths.js';
import { airdockContainers, docker, MISBEHAVE_IMAGE, requireDockerDaemon } from '../support/runtime-env.js';

// What a connector image meets when airdock runs it, seen from inside the running container:
// a read-only root, a writable /tmp (tmpfs) and job dir, a PIDs limit; and the options to relax them.
const dir = mkdtempSync(join(tmpdir(), 'airdock-sandbox-'));
const started: ChildProcess[] = [];

beforeAll(async () => {
  await requireDockerDaemon();
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ mode: 'hang' }));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ streams: [{ stream: { name: 'users', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] }));
});

afterAll(async () => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
  expect(await airdockContainers(MISBEHAVE_IMAGE)).toEqual([]);
});

/** `airdock read` of a hanging connector; resolves with its running container. */
async function running(args: string[]): Promise<{ cli: ChildProcess; id: string }> {
  const cli = spawn(process.execPath, [cliPath, 'read', MISBEHAVE_IMAGE, '--pull', 'never', '--no-validate', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json'), ...args], { cwd: dir, stdio: 'ignore' });
  started.push(cli);
  for (let i = 0; i < 600; i++) {
    // The read's container, not the spec run that comes first (the redactor asks for the spec).
    const c = (await docker.listContainers({ filters: { label: [`airdock.pid=${cli.pid}`], status: ['running'] } })).find((x) => x.Command.includes(' read '));
    if (c) return { cli, id: c.Id };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no running container');
}

async function sh(id: string, script: string): Promise<string> {
  const exec = await docker.getContainer(id).exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  docker.modem.demuxStream(stream, out, out);
  await new Promise((r) => stream.on('end', r));
  return Buffer.concat(chunks).toString('utf8');
}

async function stop(cli: ChildProcess): Promise<void> {
  cli.kill('SIGTERM');
  await new Promise((r) => cli.once('exit', r));
}

describe('containers are sandboxed by default', () => {
  it('read-only root, writable tmpfs /tmp, writable job dir holding the job files, PIDs limit 4096', async () => {
    const { cli, id } = await running([]);
    const info = await docker.getContainer(id).inspect();
    expect(info.HostConfig).toMatchObject({ ReadonlyRootfs: true, PidsLimit: 4096 });
    expect(Object.keys(info.HostConfig.Tmpfs ?? {})).toEqual(['/tmp']);
    const out = await sh(id, [
      'touch /var/tmp/probe 2>&1 || true',
      'touch /tmp/probe && echo tmp-writable',
      'touch /airbyte/job/files/probe && echo job-writable',
      'cat /airbyte/job/files/config.json; echo',
      'cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max',
      'grep " /tmp " /proc/mounts',
    ].join('; '));
    expect(out).toMatch(/Read-only file system/);
    expect(out).toContain('tmp-writable');
    expect(out).toContain('job-writable');
    expect(out).toContain('{"mode":"hang"}');
    expect(out).toMatch(/\n4096\n/);
    expect(out).toMatch(/tmpfs \/tmp tmpfs rw,nosuid,nodev/);
    await stop(cli);
  });

  it('--writable-root and --pids-limit 0 relax both', async () => {
    const { cli, id } = await running(['--writable-root', '--pids-limit', '0']);
    const info = await docker.getContainer(id).inspect();
    expect(info.HostConfig.ReadonlyRootfs).toBe(false);
    expect(info.HostConfig.PidsLimit ?? 0).toBeLessThanOrEqual(0);
    expect(await sh(id, 'touch /var/tmp/probe && echo root-writable; cat /airbyte/job/files/config.json')).toMatch(/root-writable[\s\S]*"mode":"hang"/);
    await stop(cli);
  });
});
