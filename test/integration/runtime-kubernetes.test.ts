/**
 * The Kubernetes backend on a real one-node cluster (scripts/setup/kubernetes.sh): the real Airbyte
 * faker image as pods through spec/check/discover/read, the same messages as the Docker backend,
 * `write` with stdin EOF, clear errors for a missing image and a pod no node can hold, and no pod
 * left after any test.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import { DockerBackend } from '../../runtime/backends/docker/docker-backend.js';
import { configureCatalog } from '../../protocol/index.js';
import { Connector } from '../../runtime/connector.js';
import { Launcher } from '../../runtime/launcher/launcher.js';
import { Logger } from '../../runtime/log/logger.js';
import { podManifest } from '../../runtime/backends/kubernetes/pod-manifest.js';
import { kubernetesBackend, leftoverPods, requireCluster } from '../support/kubernetes.js';
import { readAll as read, records, stableFakerData as stable, states } from '../support/faker-read.js';
import { airdockContainers, fakerImage, MISBEHAVE_IMAGE, requireDockerDaemon } from '../support/runtime-env.js';

const log = new Logger({ level: 'warn', write: () => {} });
const launcher = new Launcher({
  log,
  backends: { docker: () => DockerBackend.connect({ log }), kubernetes: () => kubernetesBackend(log, { startTimeoutMs: 30_000 }) },
  imageBackend: 'kubernetes',
});
const config = { count: 1000, seed: 1, records_per_slice: 1000, always_updated: false, parallelism: 1 };
const faker = (backend: 'docker' | 'kubernetes' = 'kubernetes') =>
  new Connector({ launcher, name: 'source-faker', target: { kind: 'image', image: fakerImage(), pull: 'never' }, log, backend });

beforeAll(async () => {
  await requireDockerDaemon();
  await requireCluster();
});
afterEach(async () => {
  expect(await leftoverPods()).toEqual([]);
  expect(await airdockContainers()).toEqual([]);
});


describe('source-faker as pods', () => {
  it('spec is the one the Docker backend gets', async () => {
    const [k8s, docker] = await Promise.all([faker().spec(), faker('docker').spec()]);
    expect(k8s.connectionSpecification).toBeDefined();
    expect(k8s).toEqual(docker);
  });

  it('check: SUCCEEDED for a good config, FAILED for a bad one', async () => {
    expect(await faker().check(config)).toEqual({ status: 'SUCCEEDED' });
    const bad = await faker().check({ ...config, count: 'many' });
    expect(bad.status).toBe('FAILED');
  });

  it('discover lists users, products and purchases', async () => {
    const cat = await faker().discover(config);
    expect(cat.streams.map((s) => s.name).sort()).toEqual(['products', 'purchases', 'users']);
  });

  it('reads 1,000 users, the same records as through Docker; the emitted state resumes', async () => {
    const c = faker();
    const catalog = configureCatalog(await c.discover(config), { streams: ['users'], incremental: true });
    const [k8s, docker] = await Promise.all([read(c, config, catalog), read(faker('docker'), config, catalog)]);
    expect(k8s.summary.exit.code).toBe(0);
    expect(records(k8s.messages)).toHaveLength(1000);
    expect(records(k8s.messages).map((r) => stable(r.data))).toEqual(records(docker.messages).map((r) => stable(r.data)));
    const state = states(k8s.messages);
    expect(state.length).toBeGreaterThan(0);
    const again = await read(c, config, catalog, [state.at(-1)!]);
    expect(records(again.messages)).toHaveLength(0);
    expect(again.summary.exit.code).toBe(0);
  });
});

describe('write and failures', () => {
  const misbehave = (mode: string) => ({ config: { mode }, c: new Connector({ launcher, name: 'misbehave', target: { kind: 'image', image: MISBEHAVE_IMAGE, pull: 'never' }, log }) });
  const catalog: ConfiguredAirbyteCatalog = {
    streams: [{ stream: { name: 'users', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }],
  };

  it('write: stdin reaches the pod, EOF ends it, every STATE is echoed', async () => {
    const { c, config: cfg } = misbehave('ok');
    const input: AirbyteMessage[] = [];
    for (let i = 1; i <= 500; i++) {
      input.push({ type: 'RECORD', record: { stream: 'users', data: { id: i, pad: 'x'.repeat(200) }, emitted_at: 1 } });
      if (i % 100 === 0) input.push({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor: i } } } });
    }
    const run = c.write(cfg, catalog, input);
    const out: AirbyteMessage[] = [];
    for await (const m of run.messages()) out.push(m);
    expect((await run.done()).exit.code).toBe(0);
    expect(states(out).map((s) => (s.stream!.stream_state as { cursor: number }).cursor)).toEqual([100, 200, 300, 400, 500]);
  });

  it('a non-zero exit code comes from the pod status, with the stderr tail', async () => {
    const { c, config: cfg } = misbehave('exit1');
    await expect(c.discover(cfg)).rejects.toMatchObject({ code: 'AIRDOCK_CONNECTOR_EXIT' });
  });

  it('an image the node does not have: AIRDOCK_BACKEND_POD_IMAGE within seconds', async () => {
    const c = new Connector({ launcher, name: 'nope', target: { kind: 'image', image: 'airdock-test/does-not-exist:1', pull: 'never' }, log });
    const t0 = Date.now();
    await expect(c.spec()).rejects.toMatchObject({ code: 'AIRDOCK_BACKEND_POD_IMAGE', context: { reason: 'ErrImageNeverPull' } });
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('a pod no node can hold: AIRDOCK_BACKEND_POD_UNSCHEDULABLE, not a hang', async () => {
    const c = new Connector({ launcher, name: 'huge', target: { kind: 'image', image: fakerImage(), pull: 'never' }, log, limits: { memoryBytes: 4 * 1024 ** 4 } });
    await expect(c.spec()).rejects.toMatchObject({ code: 'AIRDOCK_BACKEND_POD_UNSCHEDULABLE' });
  });
});

describe('misbehaving connectors as pods', () => {
  const misbehave = (o: { limits?: { memoryBytes: number }; timeouts?: { discover: number } } = {}) =>
    new Connector({ launcher, name: 'misbehave', target: { kind: 'image', image: MISBEHAVE_IMAGE, pull: 'never' }, log, ...o });

  it('OOM: the pod status says OOMKilled', async () => {
    await expect(misbehave({ limits: { memoryBytes: 96 * 1024 * 1024 } }).discover({ mode: 'oom' }))
      .rejects.toMatchObject({ code: 'AIRDOCK_CONNECTOR_EXIT', context: { oomKilled: true } });
  });

  it('a hang ends in AIRDOCK_CONNECTOR_TIMEOUT and the pod is deleted', async () => {
    const t0 = Date.now();
    await expect(misbehave({ timeouts: { discover: 4000 } }).discover({ mode: 'hang' }, { graceMs: 1000 })).rejects.toMatchObject({ code: 'AIRDOCK_CONNECTOR_TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('garbage on stdout is logged, the result still comes through', async () => {
    const cat = await misbehave().discover({ mode: 'garbage' });
    expect(cat.streams.map((s) => s.name)).toEqual(['users']);
  });

  it('abort mid-read: AIRDOCK_ABORTED, the pod is deleted', async () => {
    const ac = new AbortController();
    const catalog: ConfiguredAirbyteCatalog = {
      streams: [{ stream: { name: 'users', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }],
    };
    const run = misbehave().read({ mode: 'slow', count: 1000 }, catalog, undefined, { signal: ac.signal, graceMs: 1000 });
    let seen = 0;
    await expect((async () => {
      for await (const m of run.messages()) if (m.type === 'RECORD' && ++seen === 2) ac.abort();
    })()).rejects.toMatchObject({ code: 'AIRDOCK_ABORTED' });
    expect(seen).toBeGreaterThanOrEqual(2);
  });
});

describe('orphan sweep', () => {
  it('deletes the pods of a dead airdock process on this host when the backend starts, and only those', async () => {
    const { api, namespace, node } = await requireCluster();
    const deadPid = spawnSync('true').pid!;
    const pod = (name: string, pid: number) => {
      const m = podManifest({ name, image: fakerImage(), pull: 'never', argv: ['spec'], runId: name, connectorName: 'orphan', graceMs: 0 }, { namespace, nodeName: node, hostNetwork: true });
      m.metadata!.labels!['airdock.pid'] = String(pid);
      return api.createNamespacedPod({ namespace, body: m });
    };
    const stamp = Date.now().toString(36);
    await pod(`orphan-dead-${stamp}`, deadPid);
    await pod(`orphan-live-${stamp}`, process.pid);
    await kubernetesBackend(log);
    const names = (await api.listNamespacedPod({ namespace, labelSelector: 'airdock.connector=orphan' })).items.map((p) => p.metadata!.name);
    expect(names).toEqual([`orphan-live-${stamp}`]);
    await api.deleteNamespacedPod({ name: `orphan-live-${stamp}`, namespace, gracePeriodSeconds: 0 });
  });
});
