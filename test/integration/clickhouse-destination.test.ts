import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureCatalog, describeDestinationConformance, runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { destinationConfig, destinationWrite, rows, startDestinationWrite, useClickHouseDatabases } from '../support/clickhouse.js';

// native:destination-clickhouse as the runtime launches it (a process; `npm run build` first), against the
// ClickHouse engine the CI setup serves (scripts/setup/clickhouse.sh).
const root = resolve(import.meta.dirname, '../..');
const main = (name: string) => join(root, 'dist/native-connectors', name, 'main.js');
const destination = { kind: 'command' as const, argv: [process.execPath, main('destination-clickhouse')] };
const { ch: client, newDb } = useClickHouseDatabases();

describeDestinationConformance('native:destination-clickhouse (process)', destination, { config: destinationConfig(newDb('conf')) });

const tmp = () => mkdtempSync(join(tmpdir(), 'airdock-ch-'));
const file = (dir: string, name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };

const startWrite = startDestinationWrite;
const write = destinationWrite;

const rec = (stream: string, data: object, emitted_at = 1_700_000_000_000) => JSON.stringify({ type: 'RECORD', record: { stream, emitted_at, data } });
const state = (stream: string, n: number) => JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { n } } } });

function streamOf(name: string, properties: object, mode: 'append' | 'overwrite' | 'append_dedup', extra: object = {}) {
  return {
    stream: { name, json_schema: { type: 'object', properties }, supported_sync_modes: ['full_refresh', 'incremental'] },
    sync_mode: mode === 'append_dedup' ? 'incremental' : 'full_refresh', destination_sync_mode: mode,
    generation_id: 1, minimum_generation_id: mode === 'overwrite' ? 1 : 0, sync_id: 7, ...extra,
  };
}

async function fakerToClickHouse(sourceConfig: object, destConfig: object, catalog: object): Promise<{ code: number; lines: string[] }> {
  const dir = tmp();
  const src = spawn(process.execPath, [main('source-faker'), 'read', '--config', file(dir, 's.json', sourceConfig), '--catalog', file(dir, 'c.json', catalog)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const dst = spawn(process.execPath, [main('destination-clickhouse'), 'write', '--config', file(dir, 'd.json', destConfig), '--catalog', file(dir, 'c.json', catalog)], { stdio: ['pipe', 'pipe', 'inherit'] });
  src.stdout.pipe(dst.stdin);
  let out = '';
  dst.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const code = await new Promise<number>((r) => dst.once('close', (c) => r(c ?? 1)));
  return { code, lines: out.split('\n').filter(Boolean) };
}

async function fakerCatalog(mode: 'append' | 'overwrite' | 'append_dedup', generation = 1) {
  const r = await runTargetCommand({ kind: 'command', argv: [process.execPath, main('source-faker')] }, 'discover', { config: { count: 1 } });
  const c = configureCatalog(r.messages.find((m) => m.type === 'CATALOG')!.catalog!);
  for (const s of c.streams) {
    s.destination_sync_mode = mode;
    s.generation_id = generation;
    s.minimum_generation_id = mode === 'overwrite' ? generation : 0;
    s.sync_id = 42;
  }
  return c;
}

describe('native:destination-clickhouse tables', () => {
  it('faker → ClickHouse writes the official 2.x layout: Airbyte columns, typed Nullable columns, MergeTree', async () => {
    const db = newDb('dst_layout');
    const r = await fakerToClickHouse({ count: 1000, seed: 1, records_per_slice: 100 }, destinationConfig(db), await fakerCatalog('append'));
    expect(r.code).toBe(0);
    expect(await rows(client(), `SELECT (SELECT count() FROM ${db}.users) AS u, (SELECT count() FROM ${db}.products) AS p, (SELECT count() FROM ${db}.purchases) AS pu`)).toEqual([{ u: 1000, p: 100, pu: 1000 }]);
    const types = Object.fromEntries((await rows<{ name: string; type: string }>(client(), `SELECT name, type FROM system.columns WHERE database = '${db}' AND table = 'users'`)).map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      _airbyte_raw_id: 'String', _airbyte_extracted_at: 'DateTime64(3)', _airbyte_meta: 'String', _airbyte_generation_id: 'UInt32',
      id: 'Nullable(Int64)', age: 'Nullable(Int64)', created_at: 'Nullable(DateTime64(3))', name: 'Nullable(String)', address: 'Nullable(String)',
    });
    const [t] = await rows<{ engine: string; sorting_key: string }>(client(), `SELECT engine, trim(BOTH '()' FROM sorting_key) AS sorting_key FROM system.tables WHERE database = '${db}' AND name = 'users'`);
    expect(t).toEqual({ engine: 'MergeTree', sorting_key: '_airbyte_raw_id' });
    expect(await rows(client(), `SELECT uniqExact(_airbyte_raw_id) AS ids, min(_airbyte_generation_id) AS g, any(JSONExtractInt(_airbyte_meta, 'sync_id')) AS s, countIf(JSONExtractString(address, 'city') = '') AS nocity FROM ${db}.users`))
      .toEqual([{ ids: 1000, g: 1, s: 42, nocity: 0 }]);
    expect(r.lines.filter((l) => l.includes('"type":"STATE"')).length).toBeGreaterThan(0);
  });

  it('maps every Airbyte type and nulls values that do not fit, recording why in _airbyte_meta', async () => {
    const db = newDb('dst_types');
    const props = {
      i: { type: 'integer' }, n: { type: 'number' }, ni: { type: 'number', airbyte_type: 'integer' }, b: { type: 'boolean' },
      d: { type: 'string', format: 'date' }, tz: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
      ntz: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' }, t: { type: 'string', format: 'time' },
      s: { type: ['null', 'string'] }, o: { type: 'object', properties: { k: { type: 'string' } } }, a: { type: 'array', items: { type: 'integer' } },
      u: { type: ['string', 'integer'] }, x: {}, 'Weird name!': { type: 'string' }, '1st': { type: 'integer' },
    };
    const catalog = { streams: [streamOf('Types Stream', props, 'append')] };
    const good = { i: 9007199254740991, n: 12.5, ni: 3, b: true, d: '2024-02-29', tz: '2024-01-01T12:00:00.123+02:00', ntz: '2024-01-01T12:00:00', t: '12:34:56', s: 'é "q"', o: { k: 'v' }, a: [1, 2], u: 'str', x: { any: 1 }, 'Weird name!': 'w', '1st': 1 };
    const bad = { i: 'nope', n: 1e30, ni: 1.5, b: 'yes', d: '1899-12-31', tz: 'not a date', ntz: '2300-01-01T00:00:00', s: 5, o: [1], a: { k: 1 }, u: 7, x: 'plain' };
    const r = await write(destinationConfig(db), catalog, [rec('Types Stream', good), rec('Types Stream', bad), state('Types Stream', 1)]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.filter((l) => l.includes('"STATE"'))).toHaveLength(1);
    const types = Object.fromEntries((await rows<{ name: string; type: string }>(client(), `SELECT name, type FROM system.columns WHERE database = '${db}' AND table = 'Types_Stream'`)).map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      i: 'Nullable(Int64)', n: 'Nullable(Decimal(38, 9))', ni: 'Nullable(Int64)', b: 'Nullable(Bool)', d: 'Nullable(Date32)', tz: 'Nullable(DateTime64(3))',
      ntz: 'Nullable(DateTime64(3))', t: 'Nullable(String)', s: 'Nullable(String)', o: 'Nullable(String)', a: 'Nullable(String)', u: 'Nullable(String)', x: 'Nullable(String)',
      Weird_name_: 'Nullable(String)', _1st: 'Nullable(Int64)',
    });
    const [g, b] = await rows<Record<string, unknown>>(client(), `SELECT i, toString(n) AS n, ni, b, toString(d) AS d, toUnixTimestamp64Milli(tz) AS tz, toUnixTimestamp64Milli(ntz) AS ntz, t, s, o, a, u, x, Weird_name_, _1st, _airbyte_meta FROM ${db}.Types_Stream ORDER BY isNull(i)`);
    expect(g).toMatchObject({ i: 9007199254740991, n: '12.5', ni: 3, b: true, d: '2024-02-29', tz: Date.UTC(2024, 0, 1, 10, 0, 0, 123), ntz: Date.UTC(2024, 0, 1, 12), t: '12:34:56', s: 'é "q"', o: '{"k":"v"}', a: '[1,2]', u: '"str"', x: '{"any":1}', Weird_name_: 'w', _1st: 1 });
    expect(JSON.parse(g!._airbyte_meta as string)).toEqual({ sync_id: 7, changes: [] });
    expect(b).toMatchObject({ i: null, n: null, ni: null, b: null, d: null, tz: null, ntz: null, s: '5', o: null, a: null, u: '7', x: 'plain' });
    const changes = (JSON.parse(b!._airbyte_meta as string) as { changes: { field: string; reason: string }[] }).changes;
    expect(Object.fromEntries(changes.map((c) => [c.field, c.reason]))).toEqual({
      i: 'DESTINATION_SERIALIZATION_ERROR', n: 'DESTINATION_FIELD_SIZE_LIMITATION', ni: 'DESTINATION_SERIALIZATION_ERROR', b: 'DESTINATION_SERIALIZATION_ERROR',
      d: 'DESTINATION_FIELD_SIZE_LIMITATION', tz: 'DESTINATION_SERIALIZATION_ERROR', ntz: 'DESTINATION_FIELD_SIZE_LIMITATION', o: 'DESTINATION_SERIALIZATION_ERROR', a: 'DESTINATION_SERIALIZATION_ERROR',
    });
  });

  it('enable_json writes objects to JSON columns', async () => {
    const db = newDb('dst_json');
    const catalog = { streams: [streamOf('j', { id: { type: 'integer' }, o: { type: 'object' } }, 'append')] };
    const r = await write(destinationConfig(db, { enable_json: true }), catalog, [rec('j', { id: 1, o: { a: { b: [1, 2] }, s: 'x' } })]);
    expect(r.code, r.err).toBe(0);
    const [c] = await rows<{ type: string }>(client(), `SELECT type FROM system.columns WHERE database = '${db}' AND table = 'j' AND name = 'o'`);
    expect(c!.type).toBe('Nullable(JSON)');
    expect(await rows(client(), `SELECT o.s AS s, toString(o.a.b) AS b FROM ${db}.j`)).toEqual([{ s: 'x', b: '[1,2]' }]);
  });

  it('schema evolution: a new property becomes a new column on the next sync', async () => {
    const db = newDb('dst_evolve');
    const v1 = { streams: [streamOf('e', { id: { type: 'integer' } }, 'append')] };
    const v2 = { streams: [streamOf('e', { id: { type: 'integer' }, added: { type: 'string' } }, 'append')] };
    expect((await write(destinationConfig(db), v1, [rec('e', { id: 1 })])).code).toBe(0);
    expect((await write(destinationConfig(db), v2, [rec('e', { id: 2, added: 'new' })])).code).toBe(0);
    expect(await rows(client(), `SELECT id, added FROM ${db}.e ORDER BY id`)).toEqual([{ id: 1, added: null }, { id: 2, added: 'new' }]);
  });
});

describe('native:destination-clickhouse sync modes', () => {
  it('overwrite builds a side table and swaps it in with EXCHANGE TABLES: old rows readable until the end', async () => {
    const db = newDb('dst_over');
    const cat = (g: number) => ({ streams: [streamOf('o', { id: { type: 'integer' } }, 'overwrite', { generation_id: g, minimum_generation_id: g })] });
    expect((await write(destinationConfig(db), cat(1), Array.from({ length: 500 }, (_, i) => rec('o', { id: i })))).code).toBe(0);
    const w = startWrite(destinationConfig(db), cat(2));
    w.child.stdin.write(`${Array.from({ length: 200 }, (_, i) => rec('o', { id: 1000 + i })).join('\n')}\n${state('o', 1)}\n`);
    await w.waitFor((l) => l.some((x) => x.includes('"STATE"')));
    // The new rows are acknowledged (in the side table), and readers still see the old table.
    expect(await rows(client(), `SELECT count() AS n, min(id) AS lo FROM ${db}.o`)).toEqual([{ n: 500, lo: 0 }]);
    expect(await rows(client(), `SELECT count() AS n FROM ${db}.o_airbyte_tmp`)).toEqual([{ n: 200 }]);
    w.child.stdin.end();
    expect(await w.done, w.err()).toBe(0);
    expect(await rows(client(), `SELECT count() AS n, min(id) AS lo, min(_airbyte_generation_id) AS g FROM ${db}.o`)).toEqual([{ n: 200, lo: 1000, g: 2 }]);
    expect(await rows(client(), `SELECT name FROM system.tables WHERE database = '${db}'`)).toEqual([{ name: 'o' }]);
  });

  it('overwrite after a stream that did not complete keeps the old table', async () => {
    const db = newDb('dst_incomplete');
    const cat = (g: number) => ({ streams: [streamOf('o', { id: { type: 'integer' } }, 'overwrite', { generation_id: g, minimum_generation_id: g })] });
    expect((await write(destinationConfig(db), cat(1), [rec('o', { id: 1 })])).code).toBe(0);
    const incomplete = JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'o' }, status: 'INCOMPLETE' } } });
    expect((await write(destinationConfig(db), cat(2), [rec('o', { id: 2 }), incomplete])).code).toBe(0);
    expect(await rows(client(), `SELECT id FROM ${db}.o`)).toEqual([{ id: 1 }]);
  });

  it('append_dedup: ReplacingMergeTree keyed by the primary key, versioned by the cursor; FINAL gives each key once, latest cursor', async () => {
    const db = newDb('dst_dedup');
    const cat = await fakerCatalog('append_dedup');
    expect((await fakerToClickHouse({ count: 300, seed: 3 }, destinationConfig(db), cat)).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // the next sync's updated_at is a later second
    expect((await fakerToClickHouse({ count: 300, seed: 3 }, destinationConfig(db), cat)).code).toBe(0);
    const [t] = await rows<{ engine_full: string; sorting_key: string }>(client(), `SELECT engine_full, trim(BOTH '()' FROM sorting_key) AS sorting_key FROM system.tables WHERE database = '${db}' AND name = 'users'`);
    expect(t!.engine_full).toMatch(/^ReplacingMergeTree\(updated_at\)/);
    expect(t!.sorting_key).toBe('id');
    const [idType] = await rows<{ type: string }>(client(), `SELECT type FROM system.columns WHERE database = '${db}' AND table = 'users' AND name = 'id'`);
    expect(idType!.type).toBe('Int64');
    expect(await rows(client(), `SELECT count() AS n, uniqExact(id) AS ids, uniqExact(updated_at) AS versions FROM ${db}.users FINAL`)).toEqual([{ n: 300, ids: 300, versions: 1 }]);
    expect(await rows(client(), `SELECT (SELECT max(updated_at) FROM ${db}.users) = (SELECT min(updated_at) FROM ${db}.users FINAL) AS latest`)).toEqual([{ latest: 1 }]);
  });

  it('a stream switched from append to append_dedup gets its table rebuilt for dedup, rows kept', async () => {
    const db = newDb('dst_switch');
    const props = { id: { type: 'integer' }, v: { type: 'string' } };
    const append = { streams: [streamOf('w', props, 'append')] };
    const dedup = { streams: [streamOf('w', props, 'append_dedup', { primary_key: [['id']], cursor_field: ['id'] })] };
    expect((await write(destinationConfig(db), append, [rec('w', { id: 1, v: 'a' }), rec('w', { id: 1, v: 'a' }), rec('w', { id: 2, v: 'b' })])).code).toBe(0);
    const r = await write(destinationConfig(db), dedup, [rec('w', { id: 2, v: 'b2' }, 1_700_000_000_001)]);
    expect(r.code, r.err).toBe(0);
    const [t] = await rows<{ engine: string; sorting_key: string }>(client(), `SELECT engine, trim(BOTH '()' FROM sorting_key) AS sorting_key FROM system.tables WHERE database = '${db}' AND name = 'w'`);
    expect(t).toEqual({ engine: 'ReplacingMergeTree', sorting_key: 'id' });
    expect(await rows(client(), `SELECT id, v FROM ${db}.w FINAL ORDER BY id`)).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b2' }]);
    expect(await rows(client(), `SELECT name FROM system.tables WHERE database = '${db}'`)).toEqual([{ name: 'w' }]);
  });

  it('append_dedup without a usable cursor is versioned by _airbyte_extracted_at', async () => {
    const db = newDb('dst_dedup_ext');
    const catalog = { streams: [streamOf('k', { id: { type: 'integer' }, v: { type: 'string' } }, 'append_dedup', { primary_key: [['id']], cursor_field: ['v'] })] };
    expect((await write(destinationConfig(db), catalog, [rec('k', { id: 1, v: 'old' }, 1_000), rec('k', { id: 1, v: 'new' }, 2_000)])).code).toBe(0);
    const [t] = await rows<{ engine_full: string }>(client(), `SELECT engine_full FROM system.tables WHERE database = '${db}' AND name = 'k'`);
    expect(t!.engine_full).toMatch(/^ReplacingMergeTree\(_airbyte_extracted_at\)/);
    expect(await rows(client(), `SELECT v FROM ${db}.k FINAL`)).toEqual([{ v: 'new' }]);
  });
});
