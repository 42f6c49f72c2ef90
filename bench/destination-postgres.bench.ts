/**
 * native:destination-postgres against PostgreSQL's own tools, on one table of ROWS rows of about 200
 * bytes, alternating runs in one process so the ratios hold on a shared machine:
 *   psql `\copy t to stdout` | psql `\copy t2 from stdin`       (the reference pipe)
 *   source-postgres | destination-postgres, append and append_dedup (into another database)
 *   source-faker (users) | destination-postgres, append
 * Run (PostgreSQL from scripts/ci-setup.sh; take the bench lock, the machine is shared):
 *   npm run build && node --import tsx bench/destination-postgres.bench.ts [rows] [rounds]   (under a lock shared with other benchmarks)
 * The source table is created once in database airdock_bench_pgdest_src and reused while its row count
 * matches; every run writes into an emptied schema of airdock_bench_pgdest. Peak RSS is the
 * destination process's (GNU time); MB/s counts the bytes that went into the destination's stdin
 * (counted once per kind of run by `producer | wc -c`: the timed runs are plain shell pipes);
 * CPU is each process's user + system time (GNU time); the PostgreSQL backends' CPU (reading and
 * writing side, by database) is sampled from /proc while the run goes, when PostgreSQL runs on this
 * machine ("n/a" otherwise).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const root = resolve(import.meta.dirname, '..');
const ROWS = Number(process.argv[2] ?? 5_000_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const SRC = 'airdock_bench_pgdest_src';
const DST = 'airdock_bench_pgdest';
const env = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', password: process.env.PGPASSWORD ?? 'postgres' };
const dir = mkdtempSync(join(tmpdir(), 'airdock-bench-pgdest-'));
// Inputs and outputs here run to gigabytes: remove them however the run ends.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };
const main = (name: string) => join(root, 'dist/native-connectors', name, 'main.js');

async function query(database: string, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ ...env, database });
  await c.connect();
  try { return await c.query(sql); } finally { await c.end(); }
}

async function prepare(): Promise<void> {
  for (const db of [SRC, DST]) {
    if ((await query('postgres', `SELECT 1 FROM pg_database WHERE datname = '${db}'`)).rowCount === 0) await query('postgres', `CREATE DATABASE ${db}`);
  }
  const exists = (await query(SRC, `SELECT to_regclass('bench_rows') IS NOT NULL AS e`)).rows[0].e as boolean;
  const n = exists ? Number((await query(SRC, 'SELECT count(*) AS n FROM bench_rows')).rows[0].n) : -1;
  if (n !== ROWS) {
    console.log(`creating bench_rows with ${ROWS} rows ...`);
    await query(SRC, `DROP TABLE IF EXISTS bench_rows;
      CREATE TABLE bench_rows (id bigint PRIMARY KEY, name text, email text, amount numeric(12,2), active boolean, created_at timestamptz, updated_at timestamp, note text);
      INSERT INTO bench_rows SELECT g, 'user ' || g, 'user' || g || '@example.com', (g % 100000) / 100.0, g % 3 = 0,
        timestamptz '2020-01-01' + g * interval '1 second', timestamp '2021-01-01' + g * interval '1 second', repeat(md5(g::text), 2)
      FROM generate_series(1, ${ROWS}) g;`);
    await query(SRC, 'VACUUM ANALYZE bench_rows');
  }
}

/** An empty schema in the destination database (and no leftover overwrite tables of earlier runs). */
async function emptySchema(schema: string): Promise<void> {
  await query(DST, `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS airbyte_internal CASCADE`);
}

interface Run { seconds: number; bytes: number; rssMb: number; srcCpu: number; dstCpu: number }

const sq = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
const argv = (a: [string, string[]]) => [a[0], ...a[1]].map(sq).join(' ');

/**
 * `/usr/bin/time producer | /usr/bin/time consumer` as a shell runs it: the two processes joined by
 * one OS pipe, nothing in between (a relay in this script would copy every byte twice and take CPU
 * from the runs it measures, more for the larger stream). Gives the consumer's peak RSS and each
 * process's CPU time (user + system; the PostgreSQL backends' CPU is not included).
 */
function pipe(producer: [string, string[]], consumer: [string, string[]], envExtra: Record<string, string> = {}): Promise<Omit<Run, 'bytes'>> {
  return new Promise((resolveRun, reject) => {
    const tSrc = join(dir, 'time-src');
    const tDst = join(dir, 'time-dst');
    const script = `set -o pipefail; /usr/bin/time -o ${sq(tSrc)} -f '%U %S' ${argv(producer)} | /usr/bin/time -o ${sq(tDst)} -f '%M %U %S' ${argv(consumer)} >/dev/null`;
    const t0 = performance.now();
    const sh = spawn('/bin/bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...envExtra } });
    let tail = '';
    sh.stderr.setEncoding('utf8').on('data', (d: string) => { tail = (tail + d).slice(-4000); });
    sh.once('error', reject);
    sh.once('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) { reject(new Error(`${producer[0]} | ${consumer[0]} exited ${code}: ${tail}`)); return; }
      const times = (f: string) => readFileSync(f, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      const [rssKb, du, ds] = times(tDst) as [number, number, number];
      const [su, ss] = times(tSrc) as [number, number];
      resolveRun({ seconds, rssMb: rssKb / 1024, srcCpu: su + ss, dstCpu: du + ds });
    });
  });
}

/** Bytes a producer writes, counted once per kind of run (`producer | wc -c`), outside the timed runs. */
const byteCounts = new Map<string, number>();
function bytesOf(key: string, producer: [string, string[]], envExtra: Record<string, string> = {}): number {
  let n = byteCounts.get(key);
  if (n === undefined) {
    n = Number(execFileSync('/bin/bash', ['-c', `set -o pipefail; ${argv(producer)} | wc -c`], { encoding: 'utf8', env: { ...process.env, ...envExtra } }).trim());
    byteCounts.set(key, n);
  }
  return n;
}

/** A pipe run with the bytes its producer writes. */
async function counted(key: string, producer: [string, string[]], consumer: [string, string[]], envExtra: Record<string, string> = {}): Promise<Run> {
  const bytes = bytesOf(key, producer, envExtra);
  return { ...(await pipe(producer, consumer, envExtra)), bytes };
}

/**
 * CPU seconds of the backends of the connector processes and psql (application_name set; this
 * script's own connections have none) per database while `run` goes, from /proc every 50 ms: a
 * backend's last moments before it exits are missed. Undefined when the backends are not on this machine.
 */
async function backendCpu<T>(run: () => Promise<T>): Promise<{ result: T; cpu: Map<string, number> | undefined }> {
  const tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const seen = new Map<number, { db: string; seconds: number }>();
  let local = true;
  const c = new pg.Client({ ...env, database: 'postgres' });
  await c.connect();
  let running = true;
  const sampler = (async () => {
    while (running) {
      const r = await c.query("SELECT pid, datname FROM pg_stat_activity WHERE datname IN ($1, $2) AND application_name <> ''", [SRC, DST]);
      for (const { pid, datname } of r.rows as { pid: number; datname: string }[]) {
        try {
          const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          seen.set(pid, { db: datname, seconds: (Number(f[11]) + Number(f[12])) / tick });
        } catch { if (!seen.has(pid)) local = false; }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const result = await run();
    return { result, cpu: local ? [...seen.values()].reduce((m, { db, seconds }) => m.set(db, (m.get(db) ?? 0) + seconds), new Map<string, number>()) : undefined };
  } finally {
    running = false;
    await sampler;
    await c.end();
  }
}

const results: string[] = [];
const best = new Map<string, number>();
async function measure(key: string, label: string, run: () => Promise<Run>, check: () => Promise<number>, records = ROWS): Promise<void> {
  const { result: r, cpu } = await backendCpu(run);
  const got = await check();
  if (got !== records) throw new Error(`${label}: ${got} rows in the destination, expected ${records}`);
  const rate = records / r.seconds;
  best.set(key, Math.max(best.get(key) ?? 0, rate));
  const line = `| ${label} | ${records.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${Math.round(rate).toLocaleString('en-US')} | ${(r.bytes / 1e6 / r.seconds).toFixed(1)} | ${Math.round(r.rssMb)} | ${r.srcCpu.toFixed(1)} | ${r.dstCpu.toFixed(1)} | ${cpu ? (cpu.get(SRC) ?? 0).toFixed(1) : 'n/a'} | ${cpu ? (cpu.get(DST) ?? 0).toFixed(1) : 'n/a'} |`;
  results.push(line);
  console.log(line);
}

await prepare();
const psqlArgs = (db: string, cmd: string) => ['-h', env.host, '-p', String(env.port), '-U', env.user, '-d', db, '-Atq', '-c', cmd];
const pgEnv = { PGPASSWORD: env.password, PGSSLMODE: 'disable' };
const count = (table: string) => async () => Number((await query(DST, `SELECT count(*) AS n FROM ${table}`)).rows[0].n);

const sourceConfig = file('source.json', {
  host: env.host, port: env.port, database: SRC, username: env.user, password: env.password, schemas: ['public'],
  ssl_mode: { mode: 'disable' }, replication_method: { method: 'Standard' }, tunnel_method: { tunnel_method: 'NO_TUNNEL' },
});
const destConfig = file('dest.json', { host: env.host, port: env.port, database: DST, schema: 'bench', username: env.user, password: env.password, ssl_mode: { mode: 'disable' } });
const discovered = JSON.parse(execFileSync(process.execPath, [main('source-postgres'), 'discover', '--config', sourceConfig], { encoding: 'utf8' }).split('\n')[0]!).catalog;
const stream = discovered.streams.find((s: { name: string }) => s.name === 'bench_rows');
// The source reads public.bench_rows; the destination gets the stream without a namespace (as a sync
// with `namespace: { definition: destination }` sends it), so it lands in the configured schema.
const catalog = (mode: 'append' | 'append_dedup', to: 'source' | 'destination') => file(`catalog-${mode}-${to}.json`, { streams: [{
  stream: to === 'source' ? stream : { ...stream, namespace: undefined },
  ...(mode === 'append'
    ? { sync_mode: 'full_refresh', destination_sync_mode: 'append' }
    : { sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['updated_at'], primary_key: [['id']] }),
}] });
const pgToPg = (mode: 'append' | 'append_dedup') => async () => {
  await emptySchema('bench');
  return counted(`pg-${mode}`, [process.execPath, [main('source-postgres'), 'read', '--config', sourceConfig, '--catalog', catalog(mode, 'source')]],
    [process.execPath, [main('destination-postgres'), 'write', '--config', destConfig, '--catalog', catalog(mode, 'destination')]]);
};
const psqlPipe = async () => {
  await query(DST, 'DROP TABLE IF EXISTS public.bench_copy; CREATE TABLE public.bench_copy (id bigint, name text, email text, amount numeric(12,2), active boolean, created_at timestamptz, updated_at timestamp, note text)');
  return counted('psql', ['psql', psqlArgs(SRC, '\\copy bench_rows to stdout')], ['psql', psqlArgs(DST, '\\copy public.bench_copy from stdin')], pgEnv);
};

const fakerCatalog = (() => {
  const m = JSON.parse(execFileSync(process.execPath, [main('source-faker'), 'discover', '--config', file('fd.json', { count: 1 })], { encoding: 'utf8' }).split('\n')[0]!);
  return file('faker-catalog.json', { streams: m.catalog.streams.filter((s: { name: string }) => s.name === 'users').map((s: unknown) => ({ stream: s, sync_mode: 'full_refresh', destination_sync_mode: 'append' })) });
})();
const fakerToPg = async () => {
  await emptySchema('bench');
  return counted('faker', [process.execPath, [main('source-faker'), 'read', '--config', file('faker.json', { count: ROWS, seed: 1, records_per_slice: 10_000 }), '--catalog', fakerCatalog]],
    [process.execPath, [main('destination-postgres'), 'write', '--config', destConfig, '--catalog', fakerCatalog]]);
};

console.log(`load before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| run | records | seconds | records/s | MB/s into the destination | destination peak RSS MB | source CPU s | destination CPU s | reading backend CPU s | writing backend(s) CPU s |\n|---|---|---|---|---|---|---|---|---|---|');
for (let round = 0; round < ROUNDS; round++) {
  await measure('psql', 'psql `\\copy t to stdout` \\| psql `\\copy t2 from stdin`', psqlPipe, count('public.bench_copy'));
  await measure('append', 'source-postgres \\| destination-postgres, append', pgToPg('append'), count('bench.bench_rows'));
  await measure('dedup', 'source-postgres \\| destination-postgres, append_dedup', pgToPg('append_dedup'), count('bench.bench_rows'));
  await measure('faker', 'source-faker users \\| destination-postgres, append', fakerToPg, count('bench.users'));
}
const ratio = (k: string) => (best.get(k)! / best.get('psql')!).toFixed(2);
console.log(`load after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(results.join('\n'));
console.log(`ratio to the psql pipe (best of each, records/s): append ${ratio('append')}x (target 0.5x), append_dedup ${ratio('dedup')}x (target 0.3x)`);
await emptySchema('bench');
await query(DST, 'DROP TABLE IF EXISTS public.bench_copy');
