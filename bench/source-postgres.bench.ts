/**
 * native:source-postgres full refresh against `psql \copy (select row_to_json(t) from t) to stdout`, on
 * one table of ROWS rows of about 200 bytes, alternating runs; then CDC changes/s for UPDATED rows.
 * Run (PostgreSQL from scripts/ci-setup.sh; take the bench lock, the machine is shared):
 *   npm run build && node --import tsx bench/source-postgres.bench.ts [rows] [updated]
 * The table is created once in database airdock_bench_pgsrc and reused while its row count matches.
 * Peak RSS is the source process's (GNU time); MB/s counts the bytes the source wrote.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const root = resolve(import.meta.dirname, '..');
const ROWS = Number(process.argv[2] ?? 5_000_000);
const UPDATED = Number(process.argv[3] ?? 1_000_000);
const DB = 'airdock_bench_pgsrc';
const env = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', password: process.env.PGPASSWORD ?? 'postgres' };
const dir = mkdtempSync(join(tmpdir(), 'airdock-bench-pgsrc-'));
// Inputs and outputs here run to gigabytes: remove them however the run ends.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };
const main = (name: string) => join(root, 'dist/native-connectors', name, 'main.js');

async function prepare(): Promise<void> {
  const admin = new pg.Client({ ...env, database: 'postgres' });
  await admin.connect();
  if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount === 0) await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const c = new pg.Client({ ...env, database: DB });
  await c.connect();
  const exists = (await c.query(`SELECT to_regclass('bench_rows') IS NOT NULL AS e`)).rows[0].e as boolean;
  const n = exists ? Number((await c.query('SELECT count(*) AS n FROM bench_rows')).rows[0].n) : -1;
  if (n !== ROWS) {
    console.log(`creating bench_rows with ${ROWS} rows ...`);
    await c.query(`DROP TABLE IF EXISTS bench_rows;
      CREATE TABLE bench_rows (id bigint PRIMARY KEY, name text, email text, amount numeric(12,2), active boolean, created_at timestamptz, updated_at timestamp, note text);
      INSERT INTO bench_rows SELECT g, 'user ' || g, 'user' || g || '@example.com', (g % 100000) / 100.0, g % 3 = 0,
        timestamptz '2020-01-01' + g * interval '1 second', timestamp '2021-01-01' + g * interval '1 second', repeat(md5(g::text), 2)
      FROM generate_series(1, ${ROWS}) g;`);
    await c.query('VACUUM ANALYZE bench_rows');
  }
  await c.end();
}

interface Run { seconds: number; bytes: number; records: number; rssMb?: number }

function timed(cmd: string, args: string[], envExtra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...envExtra } });
    let bytes = 0;
    let records = 0;
    let tail = '';
    child.stdout.on('data', (b: Buffer) => {
      bytes += b.length;
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) records++;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { tail = (tail + d).slice(-2000); });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) { reject(new Error(`${cmd} exited ${code}: ${tail}`)); return; }
      resolveRun({ seconds: (performance.now() - t0) / 1000, bytes, records, rssMb: Number(tail.trim().split('\n').pop()) / 1024 });
    });
  });
}

/** source | destination-dev-null: records counted from the source's output on the way. */
function piped(config: string, catalog: string): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const src = spawn('/usr/bin/time', ['-f', '%M', process.execPath, main('source-postgres'), 'read', '--config', config, '--catalog', catalog], { stdio: ['ignore', 'pipe', 'pipe'] });
    const dst = spawn(process.execPath, [main('destination-dev-null'), 'write', '--config', file('devnull.json', { test_destination: { test_destination_type: 'SILENT' } }), '--catalog', catalog], { stdio: ['pipe', 'ignore', 'inherit'] });
    let bytes = 0;
    let tail = '';
    src.stdout.on('data', (b: Buffer) => { bytes += b.length; });
    src.stdout.pipe(dst.stdin);
    src.stderr.setEncoding('utf8').on('data', (d: string) => { tail = (tail + d).slice(-2000); });
    Promise.all([new Promise((r) => src.once('close', r)), new Promise((r) => dst.once('close', r))]).then(() => {
      resolveRun({ seconds: (performance.now() - t0) / 1000, bytes, records: ROWS, rssMb: Number(tail.trim().split('\n').pop()) / 1024 });
    }, reject);
  });
}

const results: string[] = [];
const report = (name: string, r: Run, records = ROWS) => {
  const line = `| ${name} | ${records.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${Math.round(records / r.seconds).toLocaleString('en-US')} | ${(r.bytes / 1e6 / r.seconds).toFixed(1)} | ${r.rssMb ? Math.round(r.rssMb) : '-'} |`;
  results.push(line);
  console.log(line);
  return records / r.seconds;
};

await prepare();
const config = (parallel: number) => file(`config-${parallel}.json`, {
  host: env.host, port: env.port, database: DB, username: env.user, password: env.password, schemas: ['public'],
  ssl_mode: { mode: 'disable' }, replication_method: { method: 'Standard' }, tunnel_method: { tunnel_method: 'NO_TUNNEL' }, parallel_reads: parallel,
});
const discovered = JSON.parse(execFileSync(process.execPath, [main('source-postgres'), 'discover', '--config', config(1)], { encoding: 'utf8' }).split('\n')[0]!).catalog;
const catalog = file('catalog.json', { streams: discovered.streams.filter((s: { name: string }) => s.name === 'bench_rows').map((s: unknown) => ({ stream: s, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' })) });
const psql = () => timed('psql', ['-h', env.host, '-p', String(env.port), '-U', env.user, '-d', DB, '-Atq', '-c', '\\copy (select row_to_json(t) from bench_rows t) to stdout'], { PGPASSWORD: env.password, PGSSLMODE: 'disable' });
const ours = (parallel: number) => timed(process.execPath, [main('source-postgres'), 'read', '--config', config(parallel), '--catalog', catalog]);

console.log(`load before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| run | records | seconds | records/s | MB/s | peak RSS MB |\n|---|---|---|---|---|---|');
const best = new Map<string, number>();
const keep = (k: string, v: number) => best.set(k, Math.max(best.get(k) ?? 0, v));
for (let round = 0; round < 2; round++) {
  keep('psql', report('psql \\copy row_to_json > /dev/null', await psql()));
  keep('p1', report('source-postgres parallel_reads 1 > /dev/null', await ours(1)));
  keep('p4', report('source-postgres parallel_reads 4 > /dev/null', await ours(4)));
}
keep('d1', report('source-postgres parallel_reads 1 | dev-null', await piped(config(1), catalog)));
keep('d4', report('source-postgres parallel_reads 4 | dev-null', await piped(config(4), catalog)));
console.log(`ratio to psql (best of each): parallel 1 ${(best.get('p1')! / best.get('psql')!).toFixed(2)}x, parallel 4 ${(best.get('p4')! / best.get('psql')!).toFixed(2)}x; into dev-null: ${(best.get('d1')! / best.get('psql')!).toFixed(2)}x / ${(best.get('d4')! / best.get('psql')!).toFixed(2)}x`);

// ---- CDC: changes/s for UPDATED rows updated in one transaction
const c = new pg.Client({ ...env, database: DB });
await c.connect();
await c.query(`DROP TABLE IF EXISTS cdc_rows; CREATE TABLE cdc_rows (id bigint PRIMARY KEY, v int, note text);
  INSERT INTO cdc_rows SELECT g, 0, md5(g::text) FROM generate_series(1, ${UPDATED}) g;`);
await c.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'airdock_bench_slot'`);
await c.query(`DROP PUBLICATION IF EXISTS airdock_bench_pub; CREATE PUBLICATION airdock_bench_pub FOR TABLE cdc_rows`);
await c.query(`SELECT pg_create_logical_replication_slot('airdock_bench_slot', 'pgoutput')`);
const cdcConfig = file('cdc.json', {
  host: env.host, port: env.port, database: DB, username: env.user, password: env.password, schemas: ['public'], ssl_mode: { mode: 'disable' },
  tunnel_method: { tunnel_method: 'NO_TUNNEL' }, replication_method: { method: 'CDC', replication_slot: 'airdock_bench_slot', publication: 'airdock_bench_pub' },
});
const cdcDiscovered = JSON.parse(execFileSync(process.execPath, [main('source-postgres'), 'discover', '--config', cdcConfig], { encoding: 'utf8' }).split('\n')[0]!).catalog;
const cdcCatalog = file('cdc-catalog.json', { streams: cdcDiscovered.streams.filter((s: { name: string }) => s.name === 'cdc_rows').map((s: unknown) => ({ stream: s, sync_mode: 'incremental', destination_sync_mode: 'append' })) });
const first = execFileSync(process.execPath, [main('source-postgres'), 'read', '--config', cdcConfig, '--catalog', cdcCatalog], { encoding: 'utf8', maxBuffer: 1 << 30 });
const state = first.split('\n').filter((l) => l.startsWith('{"type":"STATE"')).pop()!;
const stateFile = file('state.json', [JSON.parse(state).state]);
await c.query('UPDATE cdc_rows SET v = v + 1');
const cdcRun = await timed(process.execPath, [main('source-postgres'), 'read', '--config', cdcConfig, '--catalog', cdcCatalog, '--state', stateFile]);
const changes = cdcRun.records - 3; // minus status traces and the final state (approximate lines)
report(`CDC: ${UPDATED.toLocaleString('en-US')} updated rows (one transaction)`, cdcRun, changes);
await c.query(`SELECT pg_drop_replication_slot('airdock_bench_slot')`);
await c.end();
console.log(`load after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(results.join('\n'));
