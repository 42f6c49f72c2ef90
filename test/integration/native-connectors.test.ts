import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { configureCatalog, describeDestinationConformance, describeSourceConformance, runTargetCommand } from '../../native-connectors/sdk/testing/index.js';

// These run the built connectors as processes, the way the runtime launches them (`npm run build` first).
const root = resolve(import.meta.dirname, '../..');
const native = (name: string) => ({ kind: 'command' as const, argv: [process.execPath, join(root, 'dist/native-connectors', name, 'main.js')] });
const tmp = () => mkdtempSync(join(tmpdir(), 'airdock-native-'));

describeSourceConformance('native:source-faker (process)', native('source-faker'), { config: { count: 50, seed: 7, records_per_slice: 20, always_updated: false } });
describeDestinationConformance('native:destination-dev-null (process)', native('destination-dev-null'), { config: { test_destination: { test_destination_type: 'SILENT' } } });
describeDestinationConformance('native:destination-local-json (process)', native('destination-local-json'), { config: { destination_path: join(tmp(), 'json') } });
describeDestinationConformance('native:destination-duckdb (process)', native('destination-duckdb'), { config: { destination_path: join(tmp(), 'c.duckdb') } });

/** faker read | duckdb write, as two processes joined by a pipe; returns the destination's stdout lines. */
async function fakerToDuckdb(sourceConfig: object, destConfig: object, catalog: object): Promise<{ code: number; lines: string[] }> {
  const dir = tmp();
  const f = (n: string, v: object) => { const p = join(dir, n); writeFileSync(p, JSON.stringify(v)); return p; };
  const src = spawn(process.execPath, [join(root, 'dist/native-connectors/source-faker/main.js'), 'read', '--config', f('s.json', sourceConfig), '--catalog', f('c.json', catalog)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const dst = spawn(process.execPath, [join(root, 'dist/native-connectors/destination-duckdb/main.js'), 'write', '--config', f('d.json', destConfig), '--catalog', f('c.json', catalog)], { stdio: ['pipe', 'pipe', 'inherit'] });
  src.stdout.pipe(dst.stdin);
  let out = '';
  dst.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const code = await new Promise<number>((r) => dst.once('close', (c) => r(c ?? 1)));
  return { code, lines: out.split('\n').filter(Boolean) };
}

async function query(path: string, sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows() as unknown[][];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

async function fakerCatalog(mode: 'append' | 'overwrite' | 'append_dedup') {
  const r = await runTargetCommand(native('source-faker'), 'discover', { config: { count: 1 } });
  const c = configureCatalog(r.messages.find((m) => m.type === 'CATALOG')!.catalog!);
  for (const s of c.streams) { s.destination_sync_mode = mode; s.generation_id = 1; s.sync_id = 42; }
  return c;
}

describe('native:destination-duckdb contents', () => {
  it('writes typed tables with the Airbyte meta columns', async () => {
    const db = join(tmp(), 'faker.duckdb');
    const r = await fakerToDuckdb({ count: 1000, seed: 1, records_per_slice: 100 }, { destination_path: db }, await fakerCatalog('append'));
    expect(r.code).toBe(0);
    expect(await query(db, 'SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM products), (SELECT count(*) FROM purchases)')).toEqual([[1000n, 100n, 1000n]]);
    const types = Object.fromEntries(await query(db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'users'") as [string, string][]);
    expect(types).toMatchObject({
      _airbyte_raw_id: 'VARCHAR', _airbyte_extracted_at: 'TIMESTAMP WITH TIME ZONE', _airbyte_meta: 'JSON', _airbyte_generation_id: 'BIGINT',
      id: 'BIGINT', age: 'BIGINT', created_at: 'TIMESTAMP WITH TIME ZONE', name: 'VARCHAR', address: 'JSON',
    });
    expect(await query(db, "SELECT count(DISTINCT _airbyte_raw_id), min(_airbyte_generation_id), any_value(_airbyte_meta->>'sync_id'), count(*) FILTER (WHERE address->>'city' IS NULL) FROM users")).toEqual([[1000n, 1n, '42', 0n]]);
    expect(r.lines.filter((l) => l.includes('"type":"STATE"')).length).toBeGreaterThan(0);
  });

  it('append_dedup keeps one row per primary key, the latest cursor', async () => {
    const db = join(tmp(), 'dedup.duckdb');
    const cat = await fakerCatalog('append_dedup');
    expect((await fakerToDuckdb({ count: 300, seed: 3 }, { destination_path: db }, cat)).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // the next sync's updated_at is a later second
    expect((await fakerToDuckdb({ count: 300, seed: 3 }, { destination_path: db }, cat)).code).toBe(0);
    const [[rows, ids, syncs]] = await query(db, 'SELECT count(*), count(DISTINCT id), count(DISTINCT updated_at) FROM users') as [[bigint, bigint, bigint]];
    expect([rows, ids, syncs]).toEqual([300n, 300n, 1n]);
    const [[latest, max]] = await query(db, 'SELECT min(updated_at) = max(updated_at), max(updated_at) FROM users') as [[boolean, unknown]];
    expect(latest).toBe(true);
    expect(max).toBeTruthy();
  });

  it('overwrite replaces the table at the end of the sync', async () => {
    const db = join(tmp(), 'overwrite.duckdb');
    const cat = await fakerCatalog('overwrite');
    expect((await fakerToDuckdb({ count: 500, seed: 1 }, { destination_path: db }, cat)).code).toBe(0);
    expect((await fakerToDuckdb({ count: 200, seed: 1 }, { destination_path: db }, cat)).code).toBe(0);
    expect(await query(db, 'SELECT count(*) FROM users')).toEqual([[200n]]);
  });

  it('rejects a MotherDuck path with a config_error', async () => {
    const r = await runTargetCommand(native('destination-duckdb'), 'check', { config: { destination_path: 'md:my_db' } });
    const status = r.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/MotherDuck/);
  });

  it('a crash after a STATE echo loses no acknowledged record', async () => {
    const dir = tmp();
    const db = join(dir, 'crash.duckdb');
    const cat = await fakerCatalog('append');
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ destination_path: db }));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(cat));
    const dst = spawn(process.execPath, [join(root, 'dist/native-connectors/destination-duckdb/main.js'), 'write', '--config', join(dir, 'd.json'), '--catalog', join(dir, 'c.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const rec = (id: number) => JSON.stringify({ type: 'RECORD', record: { stream: 'products', emitted_at: Date.now(), data: { id, make: 'M', model: 'X', year: 2020, price: 1.5, created_at: '2024-01-01T00:00:00+00:00', updated_at: '2024-01-01T00:00:00+00:00' } } });
    const lines: string[] = [];
    for (let i = 1; i <= 500; i++) lines.push(rec(i));
    lines.push(JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'products' }, stream_state: { upto: 500 } }, id: 1 } }));
    for (let i = 501; i <= 700; i++) lines.push(rec(i)); // never acknowledged
    dst.stdin.write(`${lines.join('\n')}\n`);
    const echoed = await new Promise<string>((res) => {
      let buf = '';
      dst.stdout.setEncoding('utf8').on('data', (d: string) => { buf += d; if (buf.includes('"type":"STATE"')) res(buf); });
    });
    dst.kill('SIGKILL');
    await new Promise((r) => dst.once('close', r));
    expect(echoed).toContain('"id":1');
    const [[count]] = await query(db, 'SELECT count(*) FROM products WHERE id <= 500') as [[bigint]];
    expect(count).toBe(500n);
  });
});
