import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { runConnector } from '../sdk/index.js';
import { destinationDuckdb } from './destination-duckdb.js';
import { eagerBatchRecords } from './eager-batch-records.js';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    i: { type: ['null', 'integer'] },
    n: { type: 'number' },
    b: { type: 'boolean' },
    s: { type: 'string' },
    ts: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
    d: { type: 'string', format: 'date' },
    j: { type: 'object' },
    u: { type: ['string', 'integer'] },
  },
};
const stream = (mode: string, extra: object = {}) => ({
  stream: { name: 'Typed Things', json_schema: schema, supported_sync_modes: ['incremental'] },
  sync_mode: 'incremental', destination_sync_mode: mode, primary_key: [['id']], cursor_field: ['i'],
  generation_id: 3, minimum_generation_id: 0, sync_id: 77, ...extra,
});
const rec = (data: object, at = 1_700_000_000_000) => JSON.stringify({ type: 'RECORD', record: { stream: 'Typed Things', emitted_at: at, data } });
const state = (n: number) => JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'Typed Things' }, stream_state: { n } } } });

async function write(db: string, catalog: object, lines: string[], onOutput?: (text: string) => void): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-duckdb-t-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ destination_path: db }));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => { chunks.push(c); onOutput?.(c.toString('utf8')); });
  const code = await runConnector(destinationDuckdb, ['write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { stdout: out, stdin: Readable.from([Buffer.from(lines.map((l) => `${l}\n`).join(''))]) });
  const text = Buffer.concat(chunks).toString('utf8');
  expect(code, text).toBe(0);
  return text.split('\n').filter(Boolean);
}

async function rows(db: string, sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(db);
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

const changesOf = (meta: unknown) => (JSON.parse(String(meta)) as { changes: { field: string }[] }).changes.map((c) => c.field).sort();

describe('native:destination-duckdb typing', () => {
  it('types every value by the shared rules; what does not fit is NULL and listed in _airbyte_meta.changes', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'airdock-duckdb-t-')), 't.duckdb');
    await write(db, { streams: [stream('append')] }, [
      rec({ id: 1, i: 5, n: 1.5, b: true, s: 'x', ts: '2024-01-01T00:00:00+05:00', d: '2024-02-29', j: { a: [1] }, u: 'both' }),
      rec({ id: 2, i: 2.0, n: '12.5', b: false, s: true, ts: '2024-01-01T00:00:00Z', d: '2024-01-01', j: [1, 2], u: 7 }),
      rec({ id: 3, i: '123', n: 7, s: { k: 'v' }, j: null }),
      state(1),
      rec({ id: 4, i: 1.5, n: 'abc', b: 'yes', s: 12, ts: '2024-02-30T00:00:00Z', d: 'soon', j: 'text' }),
      rec({ id: 5, i: 'x', n: 'NaN', b: 1, ts: 17, d: 20240101 }),
      state(2),
    ]);
    const r = await rows(db, 'SELECT id, i, n, b, s, ts::VARCHAR AS ts, d::VARCHAR AS d, j::VARCHAR AS j, u::VARCHAR AS u, _airbyte_meta::VARCHAR AS meta, _airbyte_generation_id AS g FROM "typed_things" ORDER BY id');
    expect(r.map(({ meta: _m, ...x }) => x)).toEqual([
      { id: '1', i: '5', n: 1.5, b: true, s: 'x', ts: '2023-12-31 19:00:00+00', d: '2024-02-29', j: '{"a":[1]}', u: '"both"', g: '3' },
      { id: '2', i: '2', n: 12.5, b: false, s: 'true', ts: '2024-01-01 00:00:00+00', d: '2024-01-01', j: '[1,2]', u: '7', g: '3' },
      { id: '3', i: '123', n: 7, b: null, s: '{"k":"v"}', ts: null, d: null, j: null, u: null, g: '3' },
      { id: '4', i: null, n: null, b: null, s: '12', ts: null, d: null, j: '"text"', u: null, g: '3' },
      { id: '5', i: null, n: null, b: null, s: null, ts: null, d: null, j: null, u: null, g: '3' },
    ]);
    expect(r.map((x) => changesOf(x.meta))).toEqual([[], [], [], ['b', 'd', 'i', 'n', 'ts'], ['b', 'd', 'i', 'n', 'ts']]);
    expect(JSON.parse(String(r[3]!.meta))).toMatchObject({ sync_id: 77, changes: expect.arrayContaining([{ field: 'b', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' }]) });
  });

  it('append_dedup keeps the latest row per key after every batch, and CDC deletes remove keys', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'airdock-duckdb-t-')), 'd.duckdb');
    const s = { ...stream('append_dedup'), stream: { ...stream('append_dedup').stream, json_schema: { ...schema, properties: { ...schema.properties, _ab_cdc_deleted_at: { type: ['null', 'string'] } } } } };
    await write(db, { streams: [s] }, [rec({ id: 1, i: 1, s: 'a' }), rec({ id: 1, i: 3, s: 'c' }), rec({ id: 1, i: 2, s: 'b' }), rec({ id: 2, i: 1, s: 'x' }), rec({ id: 3, i: 1, s: 'y' }), state(1)]);
    await write(db, { streams: [s] }, [rec({ id: 1, i: 2, s: 'older' }), rec({ id: 2, i: 5, s: 'newer' }), rec({ id: 3, i: 9, _ab_cdc_deleted_at: '2024-01-01T00:00:00Z' }), state(2)]);
    expect(await rows(db, 'SELECT id, i, s FROM typed_things ORDER BY id')).toEqual([{ id: '1', i: '3', s: 'c' }, { id: '2', i: '5', s: 'newer' }]);
  });

  it("writes without DuckDB's dictionary compression (it cost ~15 % of DuckDB's work); the values read back unchanged", async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'airdock-duckdb-t-')), 'c.duckdb');
    const colours = ['red', 'green', 'blue'];
    await write(db, { streams: [stream('append')] }, [...Array.from({ length: 5000 }, (_, id) => rec({ id, s: colours[id % 3] })), state(1)]);
    // A low-cardinality string column is what DuckDB's default settings store as Dictionary.
    const methods = await rows(db, "SELECT DISTINCT compression FROM pragma_storage_info('typed_things') WHERE column_name = 's' AND segment_type = 'VARCHAR'");
    expect(methods.length).toBeGreaterThan(0);
    expect(methods.map((m) => m.compression)).not.toContain('Dictionary');
    expect(await rows(db, 'SELECT s, count(*) AS n FROM typed_things GROUP BY s ORDER BY s')).toEqual([{ s: 'blue', n: '1666' }, { s: 'green', n: '1667' }, { s: 'red', n: '1667' }]);
  });

  it("the last commit checkpoints: when the last STATE is echoed, the rows are in the database file, not in DuckDB's log", async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'airdock-duckdb-t-')), 'w.duckdb');
    const walAtState: number[] = [];
    await write(db, { streams: [stream('append')] }, [...Array.from({ length: 2000 }, (_, id) => rec({ id, s: `row ${id}` })), state(1)], (text) => {
      if (text.includes('"STATE"')) walAtState.push(existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0);
    });
    // A small commit otherwise stays in the log until the database is closed (and copied into the file then).
    expect(walAtState).toEqual([0]);
    expect(await rows(db, 'SELECT count(*) AS n, max(s) AS s FROM typed_things')).toEqual([{ n: '2000', s: 'row 999' }]);
  });

  it('loads batches eagerly (61,440 records) unless a stream dedups: each dedup batch is a join over the whole table', () => {
    expect(eagerBatchRecords([{ dedup: false }, { dedup: false }])).toBe(61_440);
    expect(eagerBatchRecords([{ dedup: false }, { dedup: true }])).toBeUndefined();
  });

  it('schema evolution: a new column is added, a widening applied, a conflict named', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'airdock-duckdb-t-')), 'e.duckdb');
    const base = { type: 'object', properties: { id: { type: 'integer' }, v: { type: 'integer' } } };
    const cat = (properties: object) => ({ streams: [{ ...stream('append'), stream: { name: 'ev', json_schema: { type: 'object', properties }, supported_sync_modes: ['incremental'] } }] });
    await write(db, cat(base.properties), [JSON.stringify({ type: 'RECORD', record: { stream: 'ev', emitted_at: 1, data: { id: 1, v: 2 } } })]);
    await write(db, cat({ ...base.properties, v: { type: 'number' }, extra: { type: 'string' } }), [JSON.stringify({ type: 'RECORD', record: { stream: 'ev', emitted_at: 2, data: { id: 2, v: 2.5, extra: 'e' } } })]);
    expect(await rows(db, 'SELECT id, v, extra FROM ev ORDER BY id')).toEqual([{ id: '1', v: 2, extra: null }, { id: '2', v: 2.5, extra: 'e' }]);
    const dir = mkdtempSync(join(tmpdir(), 'airdock-duckdb-t-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ destination_path: db }));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(cat({ ...base.properties, v: { type: 'boolean' } })));
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const code = await runConnector(destinationDuckdb, ['write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { stdout: out, stdin: Readable.from([Buffer.from('')]) });
    expect(code).toBe(1);
    expect(Buffer.concat(chunks).toString('utf8')).toMatch(/column v is DOUBLE .*boolean/);
  });
});
