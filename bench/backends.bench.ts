/**
 * The same connector read through the process backend and through the Docker backend, side by side:
 * records/s and MB/s as the sync engine sees them (decoded lines, raw bytes kept).
 *
 *   node --import tsx bench/backends.bench.ts [records] [recordBytes] [repeats]
 *
 * Connectors: `emit.mjs` (a node source that writes records as fast as it can, so the backend is the
 * bottleneck; built into a throwaway image FROM the local node image), and the real Python faker
 * (image + local venv) when they are installed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import tar from 'tar-stream';
import { DockerBackend } from '../runtime/backends/docker/docker-backend.js';
import { ProcessBackend } from '../runtime/backends/process-backend.js';
import { Connector } from '../runtime/connector.js';
import type { LaunchTarget } from '../runtime/launcher/backend.js';
import { Launcher } from '../runtime/launcher/launcher.js';
import { Logger } from '../runtime/log/logger.js';
import { configureCatalog } from '../protocol/index.js';
import { BASE_NODE_IMAGE, FAKER_IMAGE } from '../test/support/images.js';

const jobRoot = mkdtempSync(join(tmpdir(), 'airdock-bench-'));
process.on('exit', () => rmSync(jobRoot, { recursive: true, force: true }));
const records = Number(process.argv[2] ?? 1_000_000);
const size = Number(process.argv[3] ?? 200);
const repeats = Number(process.argv[4] ?? 3);
const root = resolve(import.meta.dirname, '..');
const emitScript = join(root, 'test/fixtures/connectors/emit.mjs');
const BENCH_IMAGE = 'airdock-bench/emit:1';
const NODE_BASE = process.env.AIRDOCK_BENCH_NODE_IMAGE ?? BASE_NODE_IMAGE;

const log = new Logger({ level: 'error' });
const docker = new Docker();
const launcher = new Launcher({
  log,
  backends: {
    process: new ProcessBackend({ jobRoot, baseEnv: { PATH: process.env.PATH ?? '', HOME: tmpdir() } }),
    docker: () => DockerBackend.connect({ log }),
  },
});

async function buildEmitImage(): Promise<void> {
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile' }, `FROM ${NODE_BASE}\nCOPY emit.mjs /app/emit.mjs\nENV AIRBYTE_ENTRYPOINT="node /app/emit.mjs"\nUSER 1000\n`);
  pack.entry({ name: 'emit.mjs' }, readFileSync(emitScript));
  pack.finalize();
  const stream = await docker.buildImage(pack as unknown as NodeJS.ReadableStream, { t: BENCH_IMAGE, networkmode: 'host' } as Docker.ImageBuildOptions);
  await new Promise<void>((res, rej) => docker.modem.followProgress(stream, (e: unknown) => (e ? rej(e) : res())));
}

interface Result { seconds: number; records: number; bytes: number }

async function once(target: LaunchTarget, config: object, streams?: string[]): Promise<Result> {
  const c = new Connector({ launcher, name: 'bench', target, log, validate: false });
  const catalog = configureCatalog(await c.discover(config), { incremental: false, ...(streams ? { streams } : {}) });
  const t0 = process.hrtime.bigint();
  const run = c.read(config, catalog);
  let n = 0;
  let bytes = 0;
  for await (const line of run.lines()) {
    if (line.type === 'RECORD') { n++; bytes += line.raw.length + 1; }
  }
  await run.done();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, records: n, bytes };
}

/**
 * Runs both targets alternately (after one warm-up each) so that a load change on a shared machine hits
 * both sides alike, and returns the median of each.
 */
async function measurePair(a: LaunchTarget, b: LaunchTarget, config: object, streams?: string[]): Promise<[Result, Result]> {
  await once(a, config, streams);
  await once(b, config, streams);
  const ra: Result[] = [];
  const rb: Result[] = [];
  for (let i = 0; i < repeats; i++) {
    ra.push(await once(a, config, streams));
    rb.push(await once(b, config, streams));
  }
  const median = (rs: Result[]) => rs.sort((x, y) => x.seconds - y.seconds)[Math.floor(rs.length / 2)]!;
  return [median(ra), median(rb)];
}

function row(label: string, backend: string, r: Result, base?: Result): string {
  const rps = r.records / r.seconds;
  const mbs = r.bytes / 1e6 / r.seconds;
  const ratio = base ? ` ${(rps / (base.records / base.seconds)).toFixed(2)}× |` : ' 1.00× |';
  return `| ${label} | ${backend} | ${r.records.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${Math.round(rps).toLocaleString('en-US')} | ${mbs.toFixed(1)} |${ratio}`;
}

const lines: string[] = [
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} vCPU ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; median of ${repeats} alternating runs after a warm-up; load average at start ${loadavg()[0]!.toFixed(2)}.`,
  '',
  '| connector | backend | records | s | records/s | MB/s | Docker vs process |',
  '|---|---|---|---|---|---|---|',
];

await buildEmitImage();
const emitConfig = { count: records, size };
const [p, d] = await measurePair({ kind: 'command', command: process.execPath, args: [emitScript] }, { kind: 'image', image: BENCH_IMAGE, pull: 'never' }, emitConfig);
lines.push(row(`emit.mjs (~${size} B records)`, 'process', p), row(`emit.mjs (~${size} B records)`, 'docker', d, p));

const fakerBin = process.env.AIRDOCK_TEST_FAKER_BIN;
const fakerImage = process.env.AIRDOCK_TEST_FAKER_IMAGE ?? FAKER_IMAGE;
if (fakerBin && fakerImage) {
  const fakerConfig = { count: Number(process.env.AIRDOCK_BENCH_FAKER_COUNT ?? 20_000), seed: 1, records_per_slice: 1000, parallelism: 1 };
  const [fp, fd] = await measurePair({ kind: 'command', command: fakerBin }, { kind: 'image', image: fakerImage, pull: 'never' }, fakerConfig, ['users']);
  lines.push(row('source-faker users (Python)', 'process', fp), row('source-faker users (Python)', 'docker', fd, fp));
}
lines.push('', `load average at end ${loadavg()[0]!.toFixed(2)}`);
process.stdout.write(`${lines.join('\n')}\n`);
