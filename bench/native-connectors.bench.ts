/**
 * Native connector throughput, as processes joined by a pipe (what a sync does, minus the runtime):
 *   faker | dev-null, faker | duckdb, faker > /dev/null, and PyAirbyte's faker -> DuckDB cache as the peer.
 * Run: npm run build && node --import tsx bench/native-connectors.bench.ts [count]
 * PyAirbyte runs when bench/.data/pyairbyte-venv exists (python3 -m venv ... && pip install airbyte); with no
 * connector registry reachable it uses bench/.data/source-faker-venv (pip install airbyte-source-faker).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

async function pipeRun(dest: string | undefined, destConfig?: unknown): Promise<number> {
  const t0 = performance.now();
  const src = spawn(process.execPath, [main('source-faker'), 'read', '--config', source, '--catalog', catalog], {
    stdio: ['ignore', dest ? 'pipe' : openSync('/dev/null', 'w'), 'inherit'],
  });
  let done: Promise<unknown> = new Promise((r) => src.once('close', r));
  if (dest) {
    const dst = spawn(process.execPath, [main(dest), 'write', '--config', file('dest.json', destConfig), '--catalog', catalog], { stdio: ['pipe', 'ignore', 'inherit'] });
    src.stdout!.pipe(dst.stdin);
    done = Promise.all([done, new Promise((r) => dst.once('close', r))]);
  }
  await done;
  return performance.now() - t0;
}

const rows: [string, number, number][] = [];
const record = (name: string, ms: number, n = expected) => {
  rows.push([name, n, ms]);
  console.log(`${name.padEnd(34)} ${n} records  ${(ms / 1000).toFixed(2)} s  ${Math.round(n / (ms / 1000)).toLocaleString('en-US')} records/s`);
};

record('native faker > /dev/null', await pipeRun(undefined));
record('native faker | dev-null', await pipeRun('destination-dev-null', { test_destination: { test_destination_type: 'SILENT' } }));
mkdirSync(join(dir, 'db'));
record('native faker | duckdb', await pipeRun('destination-duckdb', { destination_path: join(dir, 'db', 'bench.duckdb') }));

const py = join(root, 'bench/.data/pyairbyte-venv/bin/python');
const hasPyAirbyte = existsSync(py) && (() => { try { execFileSync(py, ['-c', 'import airbyte']); return true; } catch { return false; } })();
if (hasPyAirbyte) {
  const faker = join(root, 'bench/.data/source-faker-venv/bin/source-faker');
  const out = execFileSync(py, [join(root, 'bench/pyairbyte_faker.py'), String(count), ...(existsSync(faker) ? [faker] : [])], { encoding: 'utf8', cwd: join(root, 'bench/.data'), maxBuffer: 1 << 26 });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  record('PyAirbyte faker -> DuckDB cache', r.seconds * 1000, r.records);
  const native = rows.find((x) => x[0] === 'native faker | duckdb')!;
  console.log(`speed-up (records/s, native duckdb vs PyAirbyte): ${((native[1] / native[2]) / (r.records / (r.seconds * 1000))).toFixed(1)}x`);
} else {
  console.log('PyAirbyte: skipped (no bench/.data/pyairbyte-venv with the airbyte package)');
}
rmSync(dir, { recursive: true, force: true });
