/**
 * `airdock sync` with connectors as pods on the local one-node cluster: the real faker image as the
 * source with `--backend kubernetes`, then both sides on Kubernetes, then one side on Docker (per
 * side `backend:` in the connection file). State is committed only when the destination echoes it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fixtureDestination, runSyncCli } from '../support/sync-harness.js';
import { leftoverPods, requireCluster, type TestCluster } from '../support/kubernetes.js';
import { airdockContainers, fakerImage, MISBEHAVE_IMAGE, requireDockerDaemon } from '../support/runtime-env.js';

let cluster: TestCluster;
beforeAll(async () => {
  await requireDockerDaemon();
  cluster = await requireCluster();
});
afterEach(async () => {
  expect(await leftoverPods()).toEqual([]);
  expect(await airdockContainers()).toEqual([]);
});

let n = 0;
function connection(doc: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-k8s-sync-'));
  const name = `k8s${process.pid}x${++n}`;
  const file = join(dir, 'connection.yaml');
  writeFileSync(file, stringify({ name, retry: { attempts: 1, base_delay_ms: 10 }, ...doc }));
  const state = () => JSON.parse(readFileSync(join(dir, '.airdock', 'state', `${name}.json`), 'utf8')) as unknown[];
  return { dir, file, name, state };
}
const faker = { connector: fakerImage(), config: { count: 300, seed: 7, records_per_slice: 100, always_updated: false, parallelism: 1 } };

describe('airdock sync on Kubernetes', () => {
  it('--backend kubernetes: the faker pod feeds a local destination; state committed; a rerun resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-k8s-out-'));
    const out = join(dir, 'out.jsonl');
    const c = connection({ source: faker, destination: { connector: fixtureDestination, config: { out } }, streams: [{ name: 'users', sync_mode: 'incremental' }] });
    const run = await runSyncCli(c.file, c.dir, { args: ['--backend', 'kubernetes'], env: cluster.env, timeoutMs: 170_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ status: 'succeeded', recordsEmitted: 300, recordsCommitted: 300, stateCommitted: true });
    const ids = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { data: { id: number } }).data.id);
    expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(c.state().length).toBeGreaterThan(0);
    const again = await runSyncCli(c.file, c.dir, { args: ['--backend', 'kubernetes'], env: cluster.env, timeoutMs: 170_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.summary).toMatchObject({ status: 'succeeded', recordsEmitted: 0 });
  });

  it.each([
    ['both sides on Kubernetes', 'kubernetes'],
    ['the destination on Docker', 'docker'],
  ])('%s: every state echoed and committed', async (_label, destinationBackend) => {
    const c = connection({
      backend: 'kubernetes',
      source: faker,
      destination: { connector: MISBEHAVE_IMAGE, config: { mode: 'ok' }, backend: destinationBackend },
      streams: ['users'],
    });
    const run = await runSyncCli(c.file, c.dir, { env: cluster.env, timeoutMs: 170_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ status: 'succeeded', recordsEmitted: 300, recordsCommitted: 300, stateCommitted: true });
    expect(c.state().length).toBeGreaterThan(0);
  });
});
