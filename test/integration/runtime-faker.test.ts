/**
 * The real Airbyte faker (Python, from PyPI), run two ways: as the locally built image through the
 * Docker backend, and as a local program through the process backend. Both must behave the same.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AirbyteMessage } from '../../protocol/index.js';
import { DockerBackend } from '../../runtime/backends/docker/docker-backend.js';
import { ProcessBackend } from '../../runtime/backends/process-backend.js';
import { configureCatalog } from '../../protocol/index.js';
import { Connector } from '../../runtime/connector.js';
import type { LaunchTarget } from '../../runtime/launcher/backend.js';
import { Launcher } from '../../runtime/launcher/launcher.js';
import { Logger } from '../../runtime/log/logger.js';
import { runCli } from '../support/run-cli.js';
import { readAll as read, records, stableFakerData as stable, states } from '../support/faker-read.js';
import { airdockContainers, fakerBin, fakerImage, requireDockerDaemon } from '../support/runtime-env.js';

const log = new Logger({ level: 'warn', write: () => {} });
const tmpRoot = mkdtempSync(join(tmpdir(), 'airdock-faker-'));
const launcher = new Launcher({
  log,
  backends: { process: new ProcessBackend({ jobRoot: tmpRoot, baseEnv: { PATH: process.env.PATH ?? '', HOME: tmpRoot } }), docker: () => DockerBackend.connect({ log }) },
});
const config = { count: 1000, seed: 1, records_per_slice: 1000, always_updated: false, parallelism: 1 };

const target = (kind: 'docker' | 'process'): LaunchTarget =>
  kind === 'docker' ? { kind: 'image', image: fakerImage(), pull: 'never' } : { kind: 'command', command: fakerBin() };
beforeAll(async () => {
  await requireDockerDaemon();
});
afterAll(async () => {
  expect(await airdockContainers(fakerImage())).toEqual([]);
});

const connector = (kind: 'docker' | 'process') => new Connector({ launcher, name: 'source-faker', target: target(kind), log });


const outputs: Partial<Record<'docker' | 'process', AirbyteMessage[]>> = {};

describe.each(['docker', 'process'] as const)('source-faker through the %s backend', (kind) => {
  it('spec matches what the Python package prints when run directly', async () => {
    const direct = execFileSync(fakerBin(), ['spec'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as AirbyteMessage).find((m) => m.type === 'SPEC')!;
    expect(await connector(kind).spec()).toEqual(direct.spec);
  });

  it('check: SUCCEEDED for a good config, FAILED for a bad one', async () => {
    const c = connector(kind);
    expect(await c.check(config)).toEqual({ status: 'SUCCEEDED' });
    const bad = await c.check({ ...config, count: 'many' });
    expect(bad.status).toBe('FAILED');
    expect(bad.issues?.[0]?.path).toBe('/count');
  });

  it('discover lists users, products and purchases', async () => {
    const cat = await connector(kind).discover(config);
    expect(cat.streams.map((s) => s.name).sort()).toEqual(['products', 'purchases', 'users']);
  });

  it('reads 1,000 users; a second read with the emitted state yields only new data', async () => {
    const c = connector(kind);
    const catalog = configureCatalog(await c.discover(config), { streams: ['users'], incremental: true });
    const first = await read(c, config, catalog);
    const users = records(first.messages);
    expect(users).toHaveLength(1000);
    expect(new Set(users.map((r) => r.stream))).toEqual(new Set(['users']));
    outputs[kind] = first.messages;
    const state = states(first.messages);
    expect(state.length).toBeGreaterThan(0);
    // Faker's users stream (always_updated: false) has nothing new once its cursor is in the state.
    const again = await read(c, config, catalog, [state.at(-1)!]);
    expect(records(again.messages)).toHaveLength(0);
    expect(again.summary.exit.code).toBe(0);
    // Without the state the same read starts over: the state is what made the difference.
    expect(records((await read(c, config, catalog)).messages)).toHaveLength(1000);
  });
});

describe('parity', () => {
  it('the process and Docker backends produce the same messages', () => {
    const d = records(outputs.docker ?? []).map((r) => stable(r.data));
    const p = records(outputs.process ?? []).map((r) => stable(r.data));
    expect(d.length).toBe(1000);
    expect(p).toEqual(d);
  });

  it('CLI: `airdock read <image> --streams users` prints 1,000 valid users as NDJSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-fcli-'));
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify(config));
    const r = await runCli(['read', fakerImage(), '--pull', 'never', '--config', cfg, '--streams', 'users'], { timeoutMs: 170_000 });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as AirbyteMessage);
    expect(lines.filter((m) => m.type === 'RECORD' && m.record!.stream === 'users')).toHaveLength(1000);
    const v = await runCli(['protocol', 'validate', '-'], { input: r.stdout });
    expect(v.code, v.stdout.slice(0, 500)).toBe(0);
  });
});
