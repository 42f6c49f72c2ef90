/**
 * The same read through the Docker backend and the Kubernetes backend (one pod on the local cluster of
 * scripts/setup/kubernetes.sh), side by side: records/s and MB/s as the sync engine sees them, and the
 * start latency (a whole `spec`: create, start, attach, first line, exit, delete).
 *
 *   KUBECONFIG=... AIRDOCK_K8S_NAMESPACE=... AIRDOCK_K8S_NODE_NAME=... \
 *     node --import tsx bench/kubernetes.bench.ts [fakerRecords] [repeats]
 * Without the env, the settings come from the CI services env file (services.env).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { DockerBackend } from '../runtime/backends/docker/docker-backend.js';
import { KubernetesBackend } from '../runtime/backends/kubernetes/kubernetes-backend.js';
import { configureCatalog } from '../protocol/index.js';
import { Connector } from '../runtime/connector.js';
import { Launcher } from '../runtime/launcher/launcher.js';
import { Logger } from '../runtime/log/logger.js';
import { FAKER_IMAGE } from '../test/support/images.js';
import { servicesEnv } from '../test/support/services.js';

const count = Number(process.argv[2] ?? 100_000);
const repeats = Number(process.argv[3] ?? 3);
const env = servicesEnv();
const kubeconfig = env.KUBECONFIG ?? env.AIRDOCK_TEST_KUBECONFIG;
if (!kubeconfig) throw new Error('KUBECONFIG is not set and no AIRDOCK_TEST_KUBECONFIG in services.env: run scripts/setup/kubernetes.sh start');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
const log = new Logger({ level: 'error' });
const launcher = new Launcher({
  log,
  backends: {
    docker: () => DockerBackend.connect({ log }),
    kubernetes: () => KubernetesBackend.connect({
      kubeConfig: kc, log, hostNetwork: true,
      ...(env.AIRDOCK_K8S_NAMESPACE ?? env.AIRDOCK_TEST_K8S_NAMESPACE ? { namespace: (env.AIRDOCK_K8S_NAMESPACE ?? env.AIRDOCK_TEST_K8S_NAMESPACE)! } : {}),
      ...(env.AIRDOCK_K8S_NODE_NAME ?? env.AIRDOCK_TEST_K8S_NODE ? { nodeName: (env.AIRDOCK_K8S_NODE_NAME ?? env.AIRDOCK_TEST_K8S_NODE)! } : {}),
    }),
  },
});
const image = env.AIRDOCK_TEST_FAKER_IMAGE ?? FAKER_IMAGE;
const connector = (backend: 'docker' | 'kubernetes') => new Connector({ launcher, name: 'source-faker', target: { kind: 'image', image, pull: 'never' }, log, backend, validate: false });
const config = { count, seed: 1, records_per_slice: 1000, always_updated: false, parallelism: 1 };

interface Result { seconds: number; records: number; bytes: number }

async function readOnce(backend: 'docker' | 'kubernetes'): Promise<Result> {
  const c = connector(backend);
  const catalog = configureCatalog(await c.discover(config), { streams: ['users'] });
  const t0 = process.hrtime.bigint();
  const run = c.read(config, catalog);
  let records = 0;
  let bytes = 0;
  for await (const line of run.lines()) if (line.type === 'RECORD') { records++; bytes += line.raw.length + 1; }
  await run.done();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, records, bytes };
}

async function specOnce(backend: 'docker' | 'kubernetes'): Promise<number> {
  const t0 = process.hrtime.bigint();
  await connector(backend).spec();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const median = <T>(xs: T[], key: (x: T) => number) => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
const load0 = loadavg()[0]!;
// warm-up, then alternate so a load change on a shared machine hits both alike
await readOnce('docker');
await readOnce('kubernetes');
const reads: Record<'docker' | 'kubernetes', Result[]> = { docker: [], kubernetes: [] };
const specs: Record<'docker' | 'kubernetes', number[]> = { docker: [], kubernetes: [] };
for (let i = 0; i < repeats; i++) {
  for (const b of ['docker', 'kubernetes'] as const) {
    reads[b].push(await readOnce(b));
    specs[b].push(await specOnce(b));
  }
}
const d = median(reads.docker, (r) => r.seconds);
const k = median(reads.kubernetes, (r) => r.seconds);
const rps = (r: Result) => r.records / r.seconds;
const row = (b: string, r: Result, spec: number, ratio: string) =>
  `| ${b} | ${r.records.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${Math.round(rps(r)).toLocaleString('en-US')} | ${(r.bytes / 1e6 / r.seconds).toFixed(2)} | ${spec.toFixed(2)} | ${ratio} |`;
process.stdout.write([
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} vCPU ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; source-faker users, median of ${repeats} alternating runs after a warm-up; load average ${load0.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end.`,
  '',
  '| backend | records | s | records/s | MB/s | spec (start to exit) s | vs Docker |',
  '|---|---|---|---|---|---|---|',
  row('docker', d, median(specs.docker, (x) => x), '1.00×'),
  row('kubernetes', k, median(specs.kubernetes, (x) => x), `${(rps(k) / rps(d)).toFixed(2)}×`),
  '',
].join('\n'));
