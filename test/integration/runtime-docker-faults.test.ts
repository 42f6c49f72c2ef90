import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortedError, ConnectorExitError, ConnectorFailedError, ConnectorTimeoutError, ImageNotFoundError, type AirbyteMessage, type ConfiguredAirbyteCatalog,
} from '../../protocol/index.js';
import { DockerBackend } from '../../runtime/backends/docker/docker-backend.js';
import { Connector } from '../../runtime/connector.js';
import { Launcher } from '../../runtime/launcher/launcher.js';
import { Logger } from '../../runtime/log/logger.js';
import { runCli } from '../support/run-cli.js';
import { userSees } from '../support/user-sees.js';
import { cliPath, repoRoot } from '../support/repo-paths.js';
import { airdockContainers, docker, MISBEHAVE_IMAGE, requireDockerDaemon } from '../support/runtime-env.js';

const logLines: string[] = [];
const log = new Logger({ level: 'debug', write: (l) => logLines.push(l) });
let launcher: Launcher;
const connector = (extra: Partial<ConstructorParameters<typeof Connector>[0]> = {}) =>
  new Connector({ launcher, name: 'misbehave', target: { kind: 'image', image: MISBEHAVE_IMAGE, pull: 'never' }, graceMs: 2000, validate: false, log, ...extra });
let catalog: ConfiguredAirbyteCatalog;

beforeAll(async () => {
  await requireDockerDaemon();
  launcher = new Launcher({ backends: { docker: () => DockerBackend.connect({ log }) }, log });
  const discovered = await connector().discover({ mode: 'ok' });
  catalog = { streams: discovered.streams.map((stream) => ({ stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' })) };
});

afterAll(async () => {
  // Every path below must have removed its container.
  expect(await airdockContainers(MISBEHAVE_IMAGE)).toEqual([]);
});

async function readAll(c: Connector, config: object, signal?: AbortSignal) {
  const run = c.read(config, catalog, undefined, signal ? { signal } : {});
  const messages: AirbyteMessage[] = [];
  let error: unknown;
  try {
    for await (const m of run.messages()) messages.push(m);
  } catch (err) {
    error = err;
  }
  return { run, messages, error: error as { code?: string; context: Record<string, unknown>; failureType?: string } | undefined };
}

/** The containers of one run still on the daemon (every ending must have removed it). */
const containersOf = (runId: string) => docker.listContainers({ all: true, filters: { label: [`airdock.run-id=${runId}`] } });

describe('Docker backend: fault injection with the misbehave image', () => {
  it('ok: messages come back, stdout and stderr apart, exit 0', async () => {
    const { run, messages, error } = await readAll(connector(), { mode: 'ok' });
    expect(error).toBeUndefined();
    expect(messages.some((m) => m.type === 'RECORD')).toBe(true);
    const s = await run.done();
    expect(s.exit.code).toBe(0);
    expect(s.backend).toBe('docker');
  });

  it('exit1 → ConnectorExitError with exit code 1 and the stderr tail', async () => {
    const { run, error } = await readAll(connector(), { mode: 'exit1' });
    expect(error).toBeInstanceOf(ConnectorExitError);
    expect(error!.context.exitCode).toBe(1);
    expect((error!.context.stderrTail as string[]).length).toBeGreaterThan(0);
    expect(userSees(error)).toEqual({ exit: 1, line: expect.stringMatching(/^error AIRDOCK_CONNECTOR_EXIT: The connector exited with an error \(connector="misbehave", command="read", exitCode=1\)/) });
    expect(await containersOf(run.runId)).toEqual([]);
  });

  it('exit137 → ConnectorExitError, killed by SIGKILL', async () => {
    const { error } = await readAll(connector(), { mode: 'exit137' });
    expect(error).toBeInstanceOf(ConnectorExitError);
    expect(error!.context).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
  });

  it('trace_error → ConnectorFailedError with the failure_type', async () => {
    const { error } = await readAll(connector(), { mode: 'trace_error' });
    expect(error).toBeInstanceOf(ConnectorFailedError);
    expect(error!.failureType).toBe('system_error');
    expect(userSees(error)).toEqual({ exit: 1, line: expect.stringMatching(/^error AIRDOCK_CONNECTOR_FAILED: The API said no \(connector="misbehave"/) });
  });

  it('garbage lines are logged, not fatal', async () => {
    const before = logLines.length;
    const { error } = await readAll(connector(), { mode: 'garbage' });
    expect(error).toBeUndefined();
    expect(logLines.length).toBeGreaterThan(before);
  });

  it('huge_line passes through', async () => {
    const { run, error } = await readAll(connector(), { mode: 'huge_line' });
    expect(error).toBeUndefined();
    expect((await run.done()).messageBytes).toBeGreaterThan(1024 * 1024);
  });

  it('stderr_flood keeps the last 200 lines', async () => {
    const { run } = await readAll(connector(), { mode: 'stderr_flood' });
    expect(run.stderrTail()).toHaveLength(200);
  });

  it('hang → heartbeat ConnectorTimeoutError, container stopped and removed', async () => {
    const { run, error } = await readAll(connector({ heartbeatMs: 1500 }), { mode: 'hang' });
    expect(error).toBeInstanceOf(ConnectorTimeoutError);
    expect(userSees(error)).toEqual({ exit: 1, line: expect.stringMatching(/^error AIRDOCK_CONNECTOR_TIMEOUT: The connector sent no message for too long \(.*heartbeatMs=1500/) });
    expect((await run.settled()).summary.exit.terminated).toBe(true);
    expect(await containersOf(run.runId)).toEqual([]);
  });

  it('oom → ConnectorExitError with oomKilled', async () => {
    const { run, error } = await readAll(connector({ limits: { memoryBytes: 64 * 1024 * 1024 } }), { mode: 'oom' });
    expect(error).toBeInstanceOf(ConnectorExitError);
    expect(error!.context.oomKilled).toBe(true);
    expect(userSees(error).line).toMatch(/^error AIRDOCK_CONNECTOR_EXIT: The connector was killed: out of memory .*oomKilled=true/);
    expect(await containersOf(run.runId)).toEqual([]);
  });

  it('abort mid-read → AbortedError and no container left', async () => {
    const ac = new AbortController();
    const run = connector().read({ mode: 'slow' }, catalog, undefined, { signal: ac.signal });
    const err = await (async () => {
      for await (const m of run.messages()) if (m.type === 'RECORD') ac.abort();
    })().catch((e) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect(userSees(err).exit).toBe(130);
    expect(await containersOf(run.runId)).toEqual([]);
  });

  it('containers carry labels, security options and host.docker.internal', async () => {
    const run = connector().read({ mode: 'slow' }, catalog);
    for await (const _ of run.messages()) {
      const [info] = await docker.listContainers({ all: true, filters: { label: [`airdock.run-id=${run.runId}`] } });
      const c = await docker.getContainer(info!.Id).inspect();
      expect(c.Config.Labels).toMatchObject({ 'airdock.connector': 'misbehave', 'airdock.pid': String(process.pid), 'airdock.host': hostname() });
      expect(c.HostConfig).toMatchObject({ CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], ExtraHosts: ['host.docker.internal:host-gateway'], Init: true });
      break;
    }
    expect((await run.done()).exit.terminated).toBe(true);
  });

  it('a missing image with --pull never is ImageNotFoundError', async () => {
    const c = new Connector({ launcher, name: 'nope', target: { kind: 'image', image: 'airdock-test/does-not-exist:0', pull: 'never' }, validate: false });
    const err = await c.spec().catch((e) => e);
    expect(err).toBeInstanceOf(ImageNotFoundError);
    expect(userSees(err)).toEqual({ exit: 1, line: expect.stringMatching(/^error AIRDOCK_IMAGE_NOT_FOUND: .*airdock-test\/does-not-exist:0/) });
  });

  it('the orphan sweep removes containers whose airdock process is gone', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    const c = await docker.createContainer({
      Image: MISBEHAVE_IMAGE, Cmd: ['spec'],
      Labels: { 'airdock.run-id': 'orphan-test', 'airdock.connector': 'misbehave', 'airdock.pid': String(dead.pid), 'airdock.host': hostname() },
    });
    await DockerBackend.connect({ log });
    await expect(c.inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('CLI: failures give the right exit code; Ctrl-C mid-read exits 130 and leaves nothing', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'airdock-cli-'));
    const cfg = (mode: string) => { const p = join(dir, `${mode}.json`); writeFileSync(p, JSON.stringify({ mode })); return p; };
    const r1 = await runCli(['read', MISBEHAVE_IMAGE, '--pull', 'never', '--no-validate', '--config', cfg('exit1')], { timeoutMs: 120_000 });
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/AIRDOCK_CONNECTOR_EXIT/);
    const r2 = await runCli(['spec', 'airdock-test/does-not-exist:0', '--pull', 'never']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/AIRDOCK_IMAGE_NOT_FOUND/);

    const child = spawn(process.execPath, [cliPath, 'read', MISBEHAVE_IMAGE, '--pull', 'never', '--no-validate', '--config', cfg('slow')], { cwd: repoRoot });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(err).toMatch(/AIRDOCK_ABORTED/);
    expect(await airdockContainers(MISBEHAVE_IMAGE)).toEqual([]);
  });
});
