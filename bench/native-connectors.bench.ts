/**
 * Native connector throughput, as processes joined by a pipe (what a sync does, minus the runtime):
 *   faker | dev-null, faker | duckdb, faker > /dev/null, `airdock sync` faker -> duckdb (with the runtime's relay),
 *   and PyAirbyte's faker -> DuckDB cache as the peer.
 * Run: npm run build && node --import tsx bench/native-connectors.bench.ts [count] [rounds]
 * Each row also says the CPU seconds (user + system) each process used, which depends much less on the load.
 * PyAirbyte runs when bench/.data/pyairbyte-venv exists (`bash bench/setup-pyairbyte.sh` makes it, with the
 * versions measured in bench/RESULTS.md); with no connector registry reachable it runs the reference
 * connector from bench/.data/source-faker-venv (made by the same script).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const count = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'airdock-bench-native-'));
const main = (name: string) => join(root, 'dist/native-connectors', name, 'main.js');
const file = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };

const catalogMsg = JSON.parse(execFileSync(process.execPath, [main('source-faker'), 'discover', '--config', file('d.json', { count: 1 })], { encoding: 'utf8' }).split('\n')[0]!);
const catalog = file('catalog.json', {
  streams: catalogMsg.catalog.streams.map((s: { name: string }) => ({ stream: s, sync_mode: 'full_refresh', destination_sync_mode: 'append' })),
});
const source = file('source.json', { count, seed: 1, records_per_slice: 10_000 });
const expected = count * 2 + Math.min(100, count); // users + purchases (10 per 10 users) + products

const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
const timeFile = (name: string) => join(dir, `${name}.time`);
/** What GNU time wrote for one process (and the children it waited for): CPU seconds (user + system), peak RSS in MB. */
const timeOf = (name: string) => { const [u, s, kb] = readFileSync(timeFile(name), 'utf8').trim().split('\n').pop()!.split(' ').map(Number); return { cpu: u! + s!, rssMb: (kb ?? 0) / 1024 }; };
const cpuOf = (name: string) => timeOf(name).cpu;
const timed = (name: string, cmd: string) => `/usr/bin/time -f '%U %S %M' -o ${q(timeFile(name))} ${cmd}`;

/**
 * `source | destination` joined by a shell pipe, as a sync's backend joins them (minus the runtime's relay);
 * the harness does not copy the bytes itself (it used to, as a third process on the same cores).
 */
async function pipeRun(dest: string | undefined, destConfig?: unknown): Promise<{ ms: number; cpu: string }> {
  const src = timed('src', `${q(process.execPath)} ${q(main('source-faker'))} read --config ${q(source)} --catalog ${q(catalog)}`);
  const dst = dest ? timed('dst', `${q(process.execPath)} ${q(main(dest))} write --config ${q(file('dest.json', destConfig))} --catalog ${q(catalog)}`) : undefined;
  const t0 = performance.now();
  await new Promise<void>((ok, fail) => spawn('sh', ['-c', dst ? `${src} | ${dst} > /dev/null` : `${src} > /dev/null`], { stdio: ['ignore', 'inherit', 'inherit'] })
    .once('close', (code) => (code === 0 ? ok() : fail(new Error(`pipeline exited ${code}`)))));
  const ms = performance.now() - t0;
  return { ms, cpu: `CPU: source ${cpuOf('src').toFixed(2)} s${dst ? `, destination ${cpuOf('dst').toFixed(2)} s (peak RSS ${timeOf('dst').rssMb.toFixed(0)} MB)` : ''}` };
}

/** The same two connectors under `airdock sync` (process backend): the runtime relays every line and commits states. */
async function syncRun(): Promise<{ ms: number; cpu: string }> {
  const db = join(dir, 'db', 'sync.duckdb');
  rmSync(db, { force: true });
  const conn = join(dir, 'faker-duckdb.yaml');
  writeFileSync(conn, `name: bench-faker-duckdb
source: { connector: native:source-faker, config: { count: ${count}, seed: 1, records_per_slice: 10000 } }
destination: { connector: native:destination-duckdb, config: { destination_path: ${JSON.stringify(db)} } }
streams:
${['users', 'purchases', 'products'].map((n) => `  - { name: ${n}, sync_mode: full_refresh, destination_sync_mode: append }`).join('\n')}
`);
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [join(root, 'bin/airdock'), 'sync', conn, '--json-summary'], { encoding: 'utf8', cwd: dir, env: { ...process.env, AIRDOCK_HOME: join(dir, '.airdock') }, maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  const summary = JSON.parse(out.trim().split('\n').pop()!);
  if (summary.recordsCommitted !== expected) throw new Error(`airdock sync committed ${summary.recordsCommitted} of ${expected} records`);
  return { ms, cpu: `CPU: airdock's own ${summary.process.cpuSeconds.toFixed(2)} s` };
}

const rows: [string, number, number][] = [];
const record = (name: string, r: { ms: number; cpu?: string }, n = expected) => {
  rows.push([name, n, r.ms]);
  console.log(`${name.padEnd(36)} ${n} records  ${(r.ms / 1000).toFixed(2)} s  ${Math.round(n / (r.ms / 1000)).toLocaleString('en-US')} records/s  ${r.cpu ?? ''}`);
};

const rounds = Number(process.argv[3] ?? 1);
const py = join(root, 'bench/.data/pyairbyte-venv/bin/python');
const hasPyAirbyte = existsSync(py) && (() => { try { execFileSync(py, ['-c', 'import airbyte']); return true; } catch { return false; } })();
const pyFaker = join(root, 'bench/.data/source-faker-venv/bin/source-faker');
async function pyRun(): Promise<{ ms: number; cpu: string; records: number }> {
  const out = execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile('py'), py, join(root, 'bench/pyairbyte_faker.py'), String(count), ...(existsSync(pyFaker) ? [pyFaker] : [])], { encoding: 'utf8', cwd: join(root, 'bench/.data'), maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  return { ms: r.seconds * 1000, cpu: `CPU: PyAirbyte and its source ${cpuOf('py').toFixed(2)} s`, records: r.records };
}

console.log(`load before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
mkdirSync(join(dir, 'db'));
// Alternating rounds, so the ratios hold on a shared machine.
for (let round = 0; round < rounds; round++) {
  record('native faker > /dev/null', await pipeRun(undefined));
  record('native faker | dev-null', await pipeRun('destination-dev-null', { test_destination: { test_destination_type: 'SILENT' } }));
  rmSync(join(dir, 'db', 'bench.duckdb'), { force: true });
  record('native faker | duckdb', await pipeRun('destination-duckdb', { destination_path: join(dir, 'db', 'bench.duckdb') }));
  record('airdock sync native faker -> duckdb', await syncRun());
  if (hasPyAirbyte) { const r = await pyRun(); record('PyAirbyte faker -> DuckDB cache', r, r.records); }
  console.log(`load: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}
const best = (name: string) => Math.max(...rows.filter((x) => x[0] === name).map((x) => x[1] / (x[2] / 1000)));
if (hasPyAirbyte) {
  const peer = best('PyAirbyte faker -> DuckDB cache');
  console.log(`speed-up vs PyAirbyte (best records/s of each): faker | duckdb ${(best('native faker | duckdb') / peer).toFixed(1)}x, airdock sync ${(best('airdock sync native faker -> duckdb') / peer).toFixed(1)}x`);
} else {
  console.log('PyAirbyte: skipped (no bench/.data/pyairbyte-venv with the airbyte package: run `bash bench/setup-pyairbyte.sh` first)');
}
console.log(`load after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
rmSync(dir, { recursive: true, force: true });
