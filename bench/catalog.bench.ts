/**
 * Catalog benchmark (issue 7): load + index the full registry, 1,000 searches (p50/p99 per search),
 * and the cold start of `airdock catalog search postgres` as a whole process.
 * Targets: search p99 < 2 ms, cold CLI < 300 ms.
 * Run: npm run build && node --import tsx bench/catalog.bench.ts [path/to/registry.json]
 * (default registry: the snapshot vendored in test/fixtures/reference/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadNativeOverlay, loadRegistry, loadSeed, parseRegistry, Registry } from '../catalog/index.js';
import { RegistryServer } from '../test/support/registry-fixtures.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const registryFile = process.argv[2] ?? resolve(root, 'test/fixtures/reference/airbyte-registry-snapshot.json');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(3)} ms`;

// 1. Load + index.
const text = readFileSync(registryFile, 'utf8');
const loadTimes: number[] = [];
let registry!: Registry;
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  registry = new Registry(parseRegistry(text, registryFile).entries, { source: { origin: 'file', location: registryFile }, natives: loadNativeOverlay() });
  loadTimes.push(performance.now() - t);
}
const seedTimes: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  new Registry(loadSeed().entries, { source: { origin: 'seed', location: 'bundled seed' }, natives: loadNativeOverlay() });
  seedTimes.push(performance.now() - t);
}
console.log(`registry: ${(text.length / 1e6).toFixed(2)} MB, ${registry.size} entries`);
console.log(`full registry parse + index: p50 ${ms(pct(loadTimes, 50))}, min ${ms(Math.min(...loadTimes))}`);
console.log(`bundled seed read + parse + index: p50 ${ms(pct(seedTimes, 50))}, min ${ms(Math.min(...seedTimes))}`);

// 2. 1,000 searches over a mix of exact names, prefixes, several words and typos.
const queries = ['postgres', 'source-postgres', 'Postgres', 'mysql', 'google sheets', 'goog', 'hub', 'salesforce',
  'postgress', 'snowflak', 'hubspto', 'stripe', 'ads', 'faker', 's3', 'duckdb', 'googlesheets', 'zendesk support',
  'clickhouse', 'xqzv'];
for (let i = 0; i < 200; i++) registry.search(queries[i % queries.length]!); // warm-up (JIT)
const times: number[] = [];
for (let i = 0; i < 1000; i++) {
  const q = queries[i % queries.length]!;
  const t = performance.now();
  registry.search(q, { limit: 20 });
  times.push(performance.now() - t);
}
console.log(`1,000 searches: p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}, max ${ms(Math.max(...times))}`);
const perQuery = queries.map((q) => {
  const ts: number[] = [];
  for (let i = 0; i < 50; i++) { const t = performance.now(); registry.search(q); ts.push(performance.now() - t); }
  return [q, pct(ts, 50)] as const;
}).sort((a, b) => b[1] - a[1]);
console.log(`slowest queries (p50): ${perQuery.slice(0, 3).map(([q, t]) => `"${q}" ${ms(t)}`).join(', ')}`);

// 3. Cold start of the CLI as a whole process (needs `npm run build`).
const home = mkdtempSync(join(os.tmpdir(), 'airdock-bench-'));
function cli(env: Record<string, string>, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(join(root, 'bin/airdock'), ['catalog', 'search', 'postgres'], { env: { ...process.env, AIRDOCK_HOME: home, AIRDOCK_REGISTRY: '', ...env }, encoding: 'utf8' });
    out.push(performance.now() - t);
    if (r.status !== 0 || !r.stdout.split('\n')[1]?.startsWith('source-postgres')) throw new Error(`CLI failed: ${r.stderr}`);
  }
  return out;
}
const nodeBaseline: number[] = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '']);
  nodeBaseline.push(performance.now() - t);
}
const offline = cli({ AIRDOCK_OFFLINE: '1' }, 15);
const fileRun = cli({ AIRDOCK_REGISTRY: registryFile }, 10);
// The everyday online path: a registry URL whose compact cache is fresh (served from loopback once).
const server = await new RegistryServer(text).start();
await loadRegistry({ home, registry: server.url, env: {} });
const cached = cli({ AIRDOCK_REGISTRY: server.url }, 15);
await server[Symbol.asyncDispose]();
console.log(`node -e '' baseline: p50 ${ms(pct(nodeBaseline, 50))}`);
console.log(`cold CLI, AIRDOCK_OFFLINE=1 (bundled seed): p50 ${ms(pct(offline, 50))}, max ${ms(Math.max(...offline))}`);
console.log(`cold CLI, registry URL with a fresh disk cache: p50 ${ms(pct(cached, 50))}, max ${ms(Math.max(...cached))}`);
console.log(`cold CLI, AIRDOCK_REGISTRY=<full registry file>: p50 ${ms(pct(fileRun, 50))}, max ${ms(Math.max(...fileRun))}`);
rmSync(home, { recursive: true, force: true });
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString()}`);
