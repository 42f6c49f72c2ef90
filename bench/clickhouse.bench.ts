/**
 * faker → ClickHouse: native:destination-clickhouse against a raw @clickhouse/client insert of the same
 * rows prepared in memory (the server path's own limit), side by side, alternating, on the server the CI
 * setup starts (scripts/setup/clickhouse.sh). Also measures insert formats on that server path.
 * Run: npm run build && node --max-old-space-size=8192 --import tsx bench/clickhouse.bench.ts [records=2000000]
 * Needs CLICKHOUSE_URL/USER/PASSWORD (services.env). Take the bench lock while measuring.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { clickhouseEnv, destinationConfig } from '../test/support/clickhouse.js';

const root = resolve(import.meta.dirname, '..');
const count = Number(process.argv[2] ?? 2_000_000);
const BATCH = 200_000;
const dir = mkdtempSync(join(tmpdir(), 'airdock-bench-ch-'));
const main = (name: string) => join(root, 'dist/native-connectors', name, 'main.js');
const file = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };
const env = clickhouseEnv();
const client = createClient({
  url: env.url, username: env.username, password: env.password, request_timeout: 600_000, log: { level: ClickHouseLogLevel.OFF },
  // The same compression the destination uses by default.
  compression: { request: { codec: 'gzip', level: 1 }, response: { codec: 'gzip' } },
});
const db = `bench_ch_${process.pid}`;
await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });

const discovered = JSON.parse(execFileSync(process.execPath, [main('source-faker'), 'discover', '--config', file('d.json', { count: 1 })], { encoding: 'utf8' }).split('\n')[0]!);
const users = discovered.catalog.streams.find((s: { name: string }) => s.name === 'users');
const catalog = file('catalog.json', { streams: [{ stream: users, sync_mode: 'full_refresh', destination_sync_mode: 'append', generation_id: 1, minimum_generation_id: 0, sync_id: 1 }] });
const sourceConfig = file('source.json', { count, seed: 1, records_per_slice: 10_000 });

// The input, once: faker's users as protocol lines (what the destination reads), in a file.
const input = join(dir, 'input.jsonl');
await new Promise<void>((r, j) => {
  const src = spawn(process.execPath, [main('source-faker'), 'read', '--config', sourceConfig, '--catalog', catalog], { stdio: ['ignore', 'pipe', 'inherit'] });
  src.stdout.pipe(createWriteStream(input));
  src.once('close', (c) => (c === 0 ? r() : j(new Error(`faker exited ${c}`))));
});
const inputBytes = statSync(input).size;

// The same rows the destination inserts, prepared in memory: the Airbyte columns, then the typed values.
const props = Object.keys(users.json_schema.properties);
const rowsIn: unknown[][] = [];
for await (const line of createInterface({ input: createReadStream(input) })) {
  const m = JSON.parse(line);
  if (m.type !== 'RECORD') continue;
  const d = m.record.data;
  rowsIn.push([randomUUID(), (m.record.emitted_at / 1000).toFixed(3), '{"sync_id":1,"changes":[]}', 1,
    ...props.map((p) => { const v = d[p]; return v === undefined ? null : typeof v === 'object' && v !== null ? JSON.stringify(v) : /_at$/.test(p) ? (Date.parse(v) / 1000).toFixed(3) : v; })]);
}
const columns = ['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_meta', '_airbyte_generation_id', ...props];
const objects: Record<string, unknown>[] = rowsIn.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
const encoded: Buffer[] = [];
for (let i = 0; i < rowsIn.length; i += BATCH) encoded.push(Buffer.from(rowsIn.slice(i, i + BATCH).map((r) => JSON.stringify(r)).join('\n') + '\n'));

/** The first lines of a file too big to read whole. */
function firstLines(path: string, n: number): string {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  const got = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return `${buf.subarray(0, got).toString('utf8').split('\n', n).join('\n')}\n`;
}

let table = 0;
const countOf = async (t: string) => Number((await (await client.query({ query: `SELECT count() AS n FROM ${t}`, format: 'JSONEachRow' })).json<{ n: number }>())[0]?.n);
/** A fresh table in the destination's layout for a reference run (the destination makes its own). */
async function refTable(): Promise<string> {
  const t = `${db}.ref_${++table}`;
  await client.command({ query: `CREATE TABLE ${t} AS ${db}.layout` });
  return t;
}

async function reference(format: 'JSONCompactEachRow' | 'JSONEachRow' | 'bytes'): Promise<number> {
  const t = await refTable();
  const t0 = performance.now();
  for (let i = 0, b = 0; i < rowsIn.length; i += BATCH, b++) {
    if (format === 'bytes') {
      const r = await client.exec({ query: `INSERT INTO ${t} FORMAT JSONCompactEachRow`, values: Readable.from([encoded[b]!]) });
      r.stream.resume();
      await new Promise((res) => r.stream.once('end', res));
    } else {
      if (format === 'JSONEachRow') await client.insert({ table: t, format, values: objects.slice(i, i + BATCH) });
      else await client.insert({ table: t, format, values: rowsIn.slice(i, i + BATCH) });
    }
  }
  const ms = performance.now() - t0;
  const n = await countOf(t);
  if (n !== rowsIn.length) throw new Error(`reference ${format} inserted ${n} of ${rowsIn.length}`);
  await client.command({ query: `DROP TABLE ${t}` });
  return ms;
}

/** The destination process, fed from the file (or by faker itself); peak RSS from /usr/bin/time. */
async function ours(from: 'file' | 'faker'): Promise<{ ms: number; rssMb: number }> {
  const target = `ours_${++table}`;
  const config = file(`dest-${table}.json`, destinationConfig(target));
  const t0 = performance.now();
  const dst = spawn('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, main('destination-clickhouse'), 'write', '--config', config, '--catalog', catalog], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  dst.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  if (from === 'file') createReadStream(input).pipe(dst.stdin);
  else spawn(process.execPath, [main('source-faker'), 'read', '--config', sourceConfig, '--catalog', catalog], { stdio: ['ignore', 'pipe', 'inherit'] }).stdout.pipe(dst.stdin);
  const code = await new Promise<number>((r) => dst.once('close', (c) => r(c ?? 1)));
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`destination exited ${code}: ${err}`);
  const n = await countOf(`${target}.users`);
  if (n !== rowsIn.length) throw new Error(`destination inserted ${n} of ${rowsIn.length}`);
  await client.command({ query: `DROP DATABASE ${target}` });
  return { ms, rssMb: Number(/MAXRSS (\d+)/.exec(err)?.[1] ?? 0) / 1024 };
}

// The layout table: what the destination creates for this stream (one tiny run), copied for the references.
{
  const config = file('layout.json', destinationConfig(`${db}_layout`));
  execFileSync(process.execPath, [main('destination-clickhouse'), 'write', '--config', config, '--catalog', catalog], { input: firstLines(input, 3) });
  await client.command({ query: `CREATE TABLE ${db}.layout AS ${db}_layout.users` });
  await client.command({ query: `DROP DATABASE ${db}_layout` });
}

const n = rowsIn.length;
const mb = inputBytes / 1e6;
const line = (name: string, ms: number, extra = '') => console.log(`${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(7)} s ${Math.round(n / (ms / 1000)).toLocaleString('en-US').padStart(9)} rec/s ${(mb / (ms / 1000)).toFixed(1).padStart(6)} MB/s ${extra}`);
console.log(`${n} users records, ${mb.toFixed(0)} MB of protocol lines; ${cpus().length} CPUs; load before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const results: Record<string, number[]> = {};
const keep = (k: string, ms: number) => ((results[k] ??= []).push(ms), ms);
for (let round = 1; round <= 2; round++) {
  line(`reference client.insert JSONCompactEachRow`, keep('refCompact', await reference('JSONCompactEachRow')));
  const o = await ours('file');
  line(`destination (input from a file)`, keep('oursFile', o.ms), `peak RSS ${o.rssMb.toFixed(0)} MB`);
  if (round === 1) {
    line(`reference client.insert JSONEachRow (objects)`, keep('refEachRow', await reference('JSONEachRow')));
    line(`reference exec, pre-encoded bytes`, keep('refBytes', await reference('bytes')));
  }
}
const f = await ours('faker');
line('faker | destination (two processes)', keep('oursFaker', f.ms), `peak RSS ${f.rssMb.toFixed(0)} MB`);
const best = (k: string) => Math.min(...results[k]!);
console.log(`ratio destination(file) / reference JSONCompactEachRow (best of each): ${(best('refCompact') / best('oursFile')).toFixed(2)}x`);
console.log(`ratio destination(file) / reference JSONEachRow objects: ${(best('refEachRow') / best('oursFile')).toFixed(2)}x`);
console.log(`load after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
await client.close();
rmSync(dir, { recursive: true, force: true });
