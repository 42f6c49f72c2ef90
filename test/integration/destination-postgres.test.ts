import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationPostgres } from '../../native-connectors/destination-postgres/destination-postgres.js';
import { runConnector } from '../../native-connectors/sdk/index.js';
import { describeDestinationConformance } from '../../native-connectors/sdk/testing/index.js';
import { repoRoot } from '../support/repo-paths.js';
import { postgresEnv } from '../support/services.js';

/** Every temp dir of this file (configs, catalogs, state) lives in here, removed at the end. */
const tmp = mkdtempSync(join(tmpdir(), 'airdock-pgdest-'));

// native:destination-postgres against the real PostgreSQL of the test setup, in a database of its own.
const env = postgresEnv();
const DB = `airdock_pgdest_${process.pid}_${Date.now().toString(36)}`;
const admin = () => new pg.Client({ host: env.host, port: env.port, user: env.user, password: env.password, database: env.database });
const config = (extra: Record<string, unknown> = {}) => ({ host: env.host, port: env.port, database: DB, schema: 'public', username: env.user, password: env.password, ...extra });
const native = { kind: 'command' as const, argv: [process.execPath, join(repoRoot, 'dist/native-connectors/destination-postgres/main.js')] };
let db: pg.Client;

beforeAll(async () => {
  const a = admin();
  await a.connect();
  await a.query(`CREATE DATABASE ${DB}`);
  await a.end();
  db = new pg.Client({ ...env, database: DB });
  await db.connect();
});

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await db?.end();
  const a = admin();
  await a.connect();
  await a.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  for (const r of ['airdock_pgdest_limited', 'airdock_pgdest_locked']) await a.query(`DROP ROLE IF EXISTS ${r}_${process.pid}`).catch(() => {});
  await a.end();
});

const q = async (sql: string) => (await db.query(sql)).rows;

interface Stream { name: string; namespace?: string; properties: Record<string, unknown>; mode?: string; pk?: string[]; cursor?: string; gen?: number; minGen?: number }
const catalog = (...streams: Stream[]) => ({
  streams: streams.map((s) => ({
    stream: { name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}), json_schema: { type: 'object', properties: s.properties }, supported_sync_modes: ['full_refresh', 'incremental'] },
    sync_mode: 'incremental', destination_sync_mode: s.mode ?? 'append',
    ...(s.pk ? { primary_key: s.pk.map((k) => [k]) } : {}), ...(s.cursor ? { cursor_field: [s.cursor] } : {}),
    generation_id: s.gen ?? 1, minimum_generation_id: s.minGen ?? 0, sync_id: 11,
  })),
});
const rec = (stream: string, data: object, at = 1_700_000_000_000, namespace?: string) => JSON.stringify({ type: 'RECORD', record: { stream, ...(namespace ? { namespace } : {}), emitted_at: at, data } });
const state = (n: number) => JSON.stringify({ type: 'STATE', state: { type: 'LEGACY', data: { n } } });

/** Runs `write` in this process; returns exit code and stdout lines. */
async function write(cfg: object, cat: object, lines: (string | Buffer)[]): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmp, 'airdock-pgdest-'));
  writeFileSync(join(dir, 'c.json'), JSON.stringify(cfg));
  writeFileSync(join(dir, 'cat.json'), JSON.stringify(cat));
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const input = Buffer.concat(lines.map((l) => Buffer.concat([typeof l === 'string' ? Buffer.from(l) : l, Buffer.from('\n')])));
  const code = await runConnector(destinationPostgres, ['write', '--config', join(dir, 'c.json'), '--catalog', join(dir, 'cat.json')], { stdout, stdin: Readable.from([input]) });
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}
async function writeOk(cfg: object, cat: object, lines: (string | Buffer)[]): Promise<string> {
  const r = await write(cfg, cat, lines);
  expect(r.code, r.out).toBe(0);
  return r.out;
}
const traceOf = (out: string) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR')?.trace.error;

describeDestinationConformance('native:destination-postgres (process)', native, { config: config({ schema: 'conformance' }) });

describe('native:destination-postgres tables', () => {
  it('writes the official Direct Load layout: typed columns, Airbyte columns, indexes', async () => {
    const props = {
      id: { type: 'integer' }, n: { type: 'number' }, big: { type: 'number', airbyte_type: 'integer' }, b: { type: 'boolean' }, s: { type: 'string' },
      d: { type: 'string', format: 'date' }, ts: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
      ts_ntz: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
      t: { type: 'string', format: 'time', airbyte_type: 'time_with_timezone' }, t_ntz: { type: 'string', format: 'time', airbyte_type: 'time_without_timezone' },
      obj: { type: 'object', properties: { a: { type: 'array', items: { type: 'integer' } } } }, arr: { type: 'array', items: { type: 'object' } },
      u: { type: ['string', 'integer'] }, any: {},
    };
    await writeOk(config({ schema: 'layout' }), catalog({ name: 'types', properties: props }), [
      rec('types', { id: 1, n: 1.25, big: 'TOOBIG', b: true, s: 'tab\tnew\nline \\ "q"', d: '2024-02-29', ts: '2024-01-01T00:00:00+05:00', ts_ntz: '2024-01-01T10:00:00', t: '10:00:00+02:00', t_ntz: '23:59:59.5', obj: { a: [1, 2] }, arr: [{ x: null }], u: 'x', any: { k: [true] } }).replace('"TOOBIG"', '12345678901234567890'),
      // Written as text: a JavaScript number could not hold these values.
      rec('types', { id: 2, n: 'N', big: 'BIG', b: false, s: 'café', d: '2024-12-31', obj: null }).replace('"N"', '0.1000000000000000055511').replace('"BIG"', '9223372036854775807'),
      state(1),
    ]);
    const cols = await q("SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'layout' AND table_name = 'types' ORDER BY ordinal_position");
    expect(cols.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ['_airbyte_raw_id', 'character varying', 'NO'], ['_airbyte_extracted_at', 'timestamp with time zone', 'NO'], ['_airbyte_meta', 'jsonb', 'NO'], ['_airbyte_generation_id', 'bigint', 'YES'],
      ['id', 'bigint', 'YES'], ['n', 'numeric', 'YES'], ['big', 'bigint', 'YES'], ['b', 'boolean', 'YES'], ['s', 'character varying', 'YES'], ['d', 'date', 'YES'],
      ['ts', 'timestamp with time zone', 'YES'], ['ts_ntz', 'timestamp without time zone', 'YES'], ['t', 'time with time zone', 'YES'], ['t_ntz', 'time without time zone', 'YES'],
      ['obj', 'jsonb', 'YES'], ['arr', 'jsonb', 'YES'], ['u', 'jsonb', 'YES'], ['any', 'jsonb', 'YES'],
    ]);
    const rows = await q("SELECT id, n::text, big::text, b, s, d::text, ts::text, ts_ntz::text, t::text, t_ntz::text, obj, arr, u, \"any\", _airbyte_meta, _airbyte_generation_id::int AS g, _airbyte_extracted_at::text AS at FROM layout.types ORDER BY id");
    expect(rows[0]).toMatchObject({ id: '1', n: '1.25', big: null, b: true, s: 'tab\tnew\nline \\ "q"', d: '2024-02-29', ts: '2023-12-31 19:00:00+00', ts_ntz: '2024-01-01 10:00:00', t: '10:00:00+02', t_ntz: '23:59:59.5', obj: { a: [1, 2] }, arr: [{ x: null }], u: 'x', any: { k: [true] }, g: 1, at: '2023-11-14 22:13:20+00' });
    expect(rows[0]!._airbyte_meta).toEqual({ sync_id: 11, changes: [{ field: 'big', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' }] });
    expect(rows[1]).toMatchObject({ n: '0.1000000000000000055511', big: '9223372036854775807', s: 'café', obj: null, _airbyte_meta: { sync_id: 11, changes: [] } });
    const idx = await q("SELECT indexname FROM pg_indexes WHERE schemaname = 'layout' AND tablename = 'types'");
    expect(idx.map((r) => r.indexname)).toEqual(['idx_extracted_at_types']);
  });

  it('normalises names as the official destination: case kept, spaces and symbols to _, 70-char names hashed, reserved words quoted', async () => {
    const long = 'a_really_long_column_name_that_goes_on_and_on_past_the_sixty_three_limit';
    await writeOk(config({ schema: 'Naming Schema' }), catalog({ name: 'My Stream-Name', properties: { 'Upper Case': { type: 'string' }, select: { type: 'integer' }, user: { type: 'string' }, [long]: { type: 'string' }, '1st': { type: 'string' }, 'Crème brûlée': { type: 'string' } } }), [
      rec('My Stream-Name', { 'Upper Case': 'U', select: 1, user: 'me', [long]: 'L', '1st': 'first', 'Crème brûlée': 'dessert' }), state(1),
    ]);
    const cols = await q("SELECT column_name FROM information_schema.columns WHERE table_schema = 'Naming_Schema' AND table_name = 'My_Stream_Name' ORDER BY ordinal_position");
    expect(cols.map((c) => c.column_name).slice(4)).toEqual(['Upper_Case', 'select', 'user', 'a_really_long_column_name_that_goes_on_and_on_past_the_23333192', '_1st', 'Creme_brulee']);
    expect(await q('SELECT "Upper_Case", "select", "user", "_1st", "Creme_brulee" FROM "Naming_Schema"."My_Stream_Name"')).toEqual([{ Upper_Case: 'U', select: '1', user: 'me', _1st: 'first', Creme_brulee: 'dessert' }]);
  });

  it('a value that does not fit its column is NULL and listed in _airbyte_meta.changes; the sync goes on', async () => {
    await writeOk(config({ schema: 'misfits' }), catalog({ name: 'm', properties: { id: { type: 'integer' }, i: { type: 'integer' }, ts: { type: 'string', format: 'date-time' }, b: { type: 'boolean' }, s: { type: 'string' } } }), [
      rec('m', { id: 1, i: 'twelve', ts: '2024-02-30T00:00:00Z', b: 'yes', s: 'nul\u0000byte' }),
      rec('m', { id: 2, i: '12', ts: 'not a time', b: false, s: { nested: true } }),
      rec('m', { id: 3, i: 1.5, b: true, s: 12.5 }),
      state(1),
    ]);
    const rows = await q('SELECT id, i, ts, b, s, _airbyte_meta FROM misfits.m ORDER BY id');
    expect(rows.map(({ _airbyte_meta: _m, ...r }) => r)).toEqual([{ id: '1', i: null, ts: null, b: null, s: 'nulbyte' }, { id: '2', i: '12', ts: null, b: false, s: '{"nested":true}' }, { id: '3', i: null, ts: null, b: true, s: '12.5' }]);
    expect(rows[0]!._airbyte_meta.changes).toEqual([
      { field: 'i', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' }, { field: 'ts', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' },
      { field: 'b', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' }, { field: 's', change: 'TRUNCATED', reason: 'DESTINATION_SERIALIZATION_ERROR' },
    ]);
    expect(rows[2]!._airbyte_meta.changes).toEqual([{ field: 'i', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' }]);
  });

  it('_airbyte_meta of the binary rows comes from a column DEFAULT during the sync only; a DEFAULT of the user is kept', async () => {
    const props = { id: { type: 'integer' }, i: { type: 'integer' } };
    const lines = [rec('md', { id: 1, i: 1 }), rec('md', { id: 2, i: 'x' }), rec('md', { id: 3, i: 3 }), state(1)];
    const meta = async (schema: string) => ({
      rows: (await q(`SELECT id::int, _airbyte_meta AS m FROM ${schema}.md ORDER BY id`)).map((r) => [r.id, r.m]),
      defaults: (await q(`SELECT column_name AS c, column_default AS d FROM information_schema.columns WHERE table_schema = '${schema}' AND table_name = 'md' AND column_default IS NOT NULL`)).map((r) => [r.c, r.d]),
    });
    const expected = [[1, { sync_id: 11, changes: [] }], [2, { sync_id: 11, changes: [{ field: 'i', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' }] }], [3, { sync_id: 11, changes: [] }]];
    for (const mode of ['append', 'overwrite', 'append_dedup']) {
      await writeOk(config({ schema: `md_${mode}` }), catalog({ name: 'md', properties: props, mode, pk: ['id'] }), lines);
      expect(await meta(`md_${mode}`), mode).toEqual({ rows: expected, defaults: [] });
    }
    // A DEFAULT left by a sync that stopped before its last batch is replaced, then dropped; one of the user's stays.
    await db.query(`ALTER TABLE md_append.md ALTER COLUMN _airbyte_meta SET DEFAULT '{"changes": [], "sync_id": 4}'::jsonb`);
    await db.query('TRUNCATE md_append.md');
    await writeOk(config({ schema: 'md_append' }), catalog({ name: 'md', properties: props }), lines);
    expect(await meta('md_append')).toEqual({ rows: expected, defaults: [] });
    await db.query(`ALTER TABLE md_append.md ALTER COLUMN _airbyte_meta SET DEFAULT '{}'::jsonb`);
    await db.query('TRUNCATE md_append.md');
    await writeOk(config({ schema: 'md_append' }), catalog({ name: 'md', properties: props }), lines);
    expect(await meta('md_append')).toEqual({ rows: expected, defaults: [['_airbyte_meta', "'{}'::jsonb"]] });
    // The last batch of a stream the source did not finish drops it too.
    await db.query('ALTER TABLE md_append.md ALTER COLUMN _airbyte_meta DROP DEFAULT');
    await db.query('TRUNCATE md_append.md');
    const incomplete = JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'md' }, status: 'INCOMPLETE' } } });
    await writeOk(config({ schema: 'md_append' }), catalog({ name: 'md', properties: props }), [...lines, incomplete]);
    expect(await meta('md_append')).toEqual({ rows: expected, defaults: [] });
    // A reader holding the table past the second the DEFAULT waits for: the meta goes in the COPY instead.
    await db.query('TRUNCATE md_append.md');
    const reader = new pg.Client({ ...env, database: DB });
    await reader.connect();
    try {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM md_append.md');
      await writeOk(config({ schema: 'md_append' }), catalog({ name: 'md', properties: props }), lines);
      await reader.query('COMMIT');
    } finally {
      await reader.end();
    }
    expect(await meta('md_append')).toEqual({ rows: expected, defaults: [] });
  });

  it('overwrite builds a new table and swaps it in at the end; a failed sync leaves the old data readable', async () => {
    const cat = catalog({ name: 'ow', properties: { id: { type: 'integer' } }, mode: 'overwrite', gen: 5, minGen: 5 });
    await writeOk(config({ schema: 'ow' }), cat, [rec('ow', { id: 1 }), rec('ow', { id: 2 }), state(1)]);
    // A failing second sync (a RECORD that is not JSON inside) must not touch the table.
    const bad = await write(config({ schema: 'ow' }), catalog({ name: 'ow', properties: { id: { type: 'integer' } }, mode: 'overwrite', gen: 6, minGen: 6 }), [rec('ow', { id: 9 }), state(1), '{"type":"RECORD","record":{"stream":"ow","emitted_at":1,"data":{"id":tru}}}', state(2)]);
    expect(bad.code).toBe(1);
    expect(await q('SELECT id::int FROM ow.ow ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    await writeOk(config({ schema: 'ow' }), catalog({ name: 'ow', properties: { id: { type: 'integer' } }, mode: 'overwrite', gen: 7, minGen: 7 }), [rec('ow', { id: 3 }), state(1)]);
    expect(await q('SELECT id::int, _airbyte_generation_id::int AS g FROM ow.ow')).toEqual([{ id: 3, g: 7 }]);
    expect(await q("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'airbyte_internal' AND table_name LIKE 'ow%'")).toEqual([{ n: 0 }]);
  });

  it('append_dedup: latest cursor wins (ties by extraction time), one row per key after every batch; CDC hard and soft deletes', async () => {
    const props = { id: { type: 'integer' }, v: { type: 'string' }, upd: { type: 'integer' }, _ab_cdc_deleted_at: { type: ['null', 'string'], format: 'date-time' } };
    const cat = catalog({ name: 'dd', properties: props, mode: 'append_dedup', pk: ['id'], cursor: 'upd' });
    await writeOk(config({ schema: 'dd' }), cat, [rec('dd', { id: 1, v: 'a', upd: 1 }), rec('dd', { id: 1, v: 'c', upd: 3 }), rec('dd', { id: 1, v: 'b', upd: 2 }), rec('dd', { id: 2, v: 'x', upd: 1 }), rec('dd', { id: 3, v: 'y', upd: 1 }), state(1),
      rec('dd', { id: 2, v: 'tie-later', upd: 1 }, 1_700_000_000_001), state(2)]);
    await writeOk(config({ schema: 'dd' }), cat, [rec('dd', { id: 1, v: 'stale', upd: 2 }), rec('dd', { id: 3, upd: 5, _ab_cdc_deleted_at: '2024-01-01T00:00:00Z' }), state(3)]);
    expect(await q('SELECT id::int, v, upd::int FROM dd.dd ORDER BY id')).toEqual([{ id: 1, v: 'c', upd: 3 }, { id: 2, v: 'tie-later', upd: 1 }]);
    const idx = await q("SELECT indexname FROM pg_indexes WHERE schemaname = 'dd' AND tablename = 'dd' ORDER BY 1");
    expect(idx.map((r) => r.indexname)).toEqual(['idx_cursor_dd', 'idx_extracted_at_dd', 'idx_pk_dd']);
    await writeOk(config({ schema: 'dd', cdc_deletion_mode: 'Soft delete' }), cat, [rec('dd', { id: 2, upd: 9, _ab_cdc_deleted_at: '2024-01-02T00:00:00Z' }), state(4)]);
    expect(await q('SELECT id::int, _ab_cdc_deleted_at IS NOT NULL AS deleted FROM dd.dd ORDER BY id')).toEqual([{ id: 1, deleted: false }, { id: 2, deleted: true }]);
  });

  it('append_dedup in many small batches (they alternate between two connections): every STATE echoed in order, each key once with its latest row', async () => {
    const cat = catalog({ name: 'many', properties: { id: { type: 'integer' }, v: { type: 'integer' }, _ab_cdc_deleted_at: { type: ['null', 'string'] } }, mode: 'append_dedup', pk: ['id'], cursor: 'v' });
    const lines: string[] = [];
    for (let v = 1; v <= 40; v++) {
      // Keys 0-4 updated in turn; key 3 deleted at v=38 (later than its last update), key 4 re-sent stale.
      const id = v % 5;
      const data = v === 38 ? { id: 3, v, _ab_cdc_deleted_at: '2024-01-01T00:00:00Z' } : id === 4 && v > 30 ? { id: 4, v: 1 } : { id, v };
      lines.push(rec('many', data), state(v));
    }
    const out = await writeOk(config({ schema: 'many', batch_size: 3 }), cat, lines);
    const echoed = out.split('\n').filter((l) => l.includes('"STATE"')).map((l) => JSON.parse(l).state.data.n);
    expect(echoed).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await q('SELECT id::int, v::int FROM many.many ORDER BY id')).toEqual([{ id: 0, v: 40 }, { id: 1, v: 36 }, { id: 2, v: 37 }, { id: 4, v: 29 }]);
  });

  it('append_dedup batches of every kind: new keys ascending or not, keys repeated in a batch, keys already in the table, NULL keys, hard deletes, a composite key', async () => {
    const deleted = '2024-01-01T00:00:00Z';
    const mp = catalog({ name: 'mp', properties: { id: { type: 'integer' }, v: { type: 'integer' }, _ab_cdc_deleted_at: { type: ['null', 'string'] } }, mode: 'append_dedup', pk: ['id'], cursor: 'v' }).streams[0]!;
    const cp = catalog({ name: 'cp', properties: { k: { type: 'string' }, n: { type: 'integer' }, v: { type: 'integer' } }, mode: 'append_dedup', pk: ['k', 'n'], cursor: 'v' }).streams[0]!;
    // A STATE after every record, batch_size 4: each batch is the next 4 records.
    const lines = (records: [string, object][]) => records.flatMap(([s, data], i) => [rec(s, data), state(i)]);
    const m = (data: object): [string, object] => ['mp', data];
    const c = (data: object): [string, object] => ['cp', data];
    await writeOk(config({ schema: 'mp', batch_size: 4 }), { streams: [mp] }, lines([
      m({ id: 1, v: 1 }), m({ id: 2, v: 1 }), m({ id: 2, v: 3 }), m({ id: 3, v: 1 }), // empty table, a key twice
      m({ id: 4, v: 1 }), m({ id: 5, v: 1, _ab_cdc_deleted_at: deleted }), m({ id: 6, v: 2 }), m({ v: 7 }), // above the table's keys; a delete, a NULL key
      m({ id: 0, v: 1 }), m({ id: 9, v: 1 }), m({ id: 8, v: 1 }), m({ id: -1, v: 1 }), // new keys, not above the table's
      m({ id: 1, v: 5 }), m({ id: 3, v: 0 }), m({ id: 11, v: 1 }), m({ v: 2 }), // an update, a stale row, a new key, a NULL key
      m({ id: 2, v: 3 }), m({ id: 4, v: 2, _ab_cdc_deleted_at: deleted }), m({ id: 12, v: 1 }), m({ id: 13, v: 1 }), // a tie (the table's row stays), a delete
      m({ id: 20, v: 1 }), m({ id: 21, v: 1 }), m({ id: 22, v: 1 }), m({ id: 23, v: 1 }),
      m({ id: 30, v: 1 }), m({ id: 31, v: 1 }), m({ id: 31, v: 2 }), m({ id: 32, v: 1 }),
      m({ id: 40, v: 1 }), m({ id: 41, v: 1, _ab_cdc_deleted_at: deleted }), m({ id: 42, v: 1 }), m({ id: 43, v: 1 }), // each key once
      m({ id: 43, v: 5 }), m({ id: 44, v: 1 }), m({ id: 45, v: 1 }), m({ id: 46, v: 1 }), // the smallest key is the table's largest
      m({ id: 30, v: 9 }), // the last, partial batch: an update
    ]));
    const after1 = [[-1, 1], [0, 1], [1, 5], [2, 3], [3, 1], [6, 2], [8, 1], [9, 1], [11, 1], [12, 1], [13, 1], [20, 1], [21, 1], [22, 1], [23, 1], [30, 9], [31, 2], [32, 1], [40, 1], [42, 1], [43, 5], [44, 1], [45, 1], [46, 1], [null, 2], [null, 7]];
    const rows = async () => (await q('SELECT id::int, v::int FROM mp.mp ORDER BY id, v')).map((r) => [r.id, r.v]);
    expect(await rows()).toEqual(after1);
    // A second sync, two streams mixed in the batches (each stream merges its own rows of a batch).
    await writeOk(config({ schema: 'mp', batch_size: 4 }), { streams: [mp, cp] }, lines([
      c({ k: 'a', n: 1, v: 1 }), c({ k: 'a', n: 2, v: 1 }), c({ k: 'b', n: 1, v: 1 }), c({ k: 'b', n: 1, v: 2 }),
      m({ id: 1, v: 4 }), c({ k: 'b', n: 2, v: 1 }), m({ id: 100, v: 1 }), c({ k: 'a', n: 1, v: 3 }),
      m({ id: 6, v: 9 }), m({ v: 1 }), c({ k: 'c', n: 1, v: 1 }), m({ id: 101, v: 1, _ab_cdc_deleted_at: deleted }),
      m({ id: 32, v: 1 }), m({ id: 9, v: 0 }), m({ id: 102, v: 1 }), m({ id: 8, v: 2 }),
    ]));
    const after2 = after1.map(([id, v]) => [id, id === 6 ? 9 : id === 8 ? 2 : v]);
    after2.splice(after2.findIndex(([id]) => id === 46) + 1, 0, [100, 1], [102, 1]);
    after2.splice(after2.length - 2, 0, [null, 1]);
    expect(await rows()).toEqual(after2);
    expect(await q('SELECT k, n::int, v::int FROM mp.cp ORDER BY k, n')).toEqual([
      { k: 'a', n: 1, v: 3 }, { k: 'a', n: 2, v: 1 }, { k: 'b', n: 1, v: 2 }, { k: 'b', n: 2, v: 1 }, { k: 'c', n: 1, v: 1 },
    ]);
    // A composite key whose first part is an integer: each batch above the table's keys or not.
    const ck = catalog({ name: 'ck', properties: { a: { type: 'integer' }, b: { type: 'integer' }, v: { type: 'integer' } }, mode: 'append_dedup', pk: ['a', 'b'], cursor: 'v' }).streams[0]!;
    const k = (data: object): [string, object] => ['ck', data];
    await writeOk(config({ schema: 'mp', batch_size: 4 }), { streams: [ck] }, lines([
      k({ a: 1, b: 1, v: 1 }), k({ a: 1, b: 2, v: 1 }), k({ a: 1, b: 1, v: 2 }), k({ a: 2, b: 1, v: 1 }),
      k({ a: 2, b: 2, v: 1 }), k({ a: 3, b: 1, v: 1 }), k({ a: 3, b: 1, v: 2 }), k({ a: 4, b: 1, v: 1 }),
      k({ a: 5, b: 1, v: 1 }), k({ a: 5, b: 2, v: 1 }), k({ a: 2, b: 1, v: 3 }),
    ]));
    expect((await q('SELECT a::int, b::int, v::int FROM mp.ck ORDER BY a, b')).map((r) => [r.a, r.b, r.v])).toEqual([
      [1, 1, 2], [1, 2, 1], [2, 1, 3], [2, 2, 1], [3, 1, 2], [4, 1, 1], [5, 1, 1], [5, 2, 1],
    ]);
  });

  it('schema evolution: a new column is added, a widening applied, a type that cannot be applied is a clear error', async () => {
    const s = (properties: object) => catalog({ name: 'ev', properties: properties as Record<string, unknown> });
    await writeOk(config({ schema: 'ev' }), s({ id: { type: 'integer' }, v: { type: 'integer' } }), [rec('ev', { id: 1, v: 2 }), state(1)]);
    const out = await writeOk(config({ schema: 'ev' }), s({ id: { type: 'integer' }, v: { type: 'number' }, extra: { type: 'string' } }), [rec('ev', { id: 2, v: 2.5, extra: 'e' }), state(1)]);
    expect(out).toContain('added extra varchar');
    expect(await q('SELECT id::int, v::text, extra FROM ev.ev ORDER BY id')).toEqual([{ id: 1, v: '2', extra: null }, { id: 2, v: '2.5', extra: 'e' }]);
    const bad = await write(config({ schema: 'ev' }), s({ id: { type: 'integer' }, v: { type: 'boolean' } }), [rec('ev', { id: 3, v: true })]);
    expect(bad.code).toBe(1);
    expect(traceOf(bad.out)).toMatchObject({ failure_type: 'config_error' });
    expect(traceOf(bad.out).message).toMatch(/AIRDOCK_DESTINATION_SCHEMA.*column="v".*tableType="numeric".*catalogType="boolean"/);
  });

  it('disable_type_dedupe writes the legacy raw table in raw_data_schema', async () => {
    await writeOk(config({ schema: 'rawmode', disable_type_dedupe: true, raw_data_schema: 'My_Internal' }), catalog({ name: 'Raw Users', properties: { id: { type: 'integer' }, name: { type: 'string' } }, mode: 'append_dedup', pk: ['id'] }), [
      rec('Raw Users', { id: 1, name: null }), rec('Raw Users', { id: 1, name: 'x' }), state(1),
    ]);
    const rows = await q("SELECT _airbyte_data, _airbyte_loaded_at, _airbyte_meta FROM my_internal.\"rawmode_raw__stream_raw_users\" ORDER BY _airbyte_data ? 'name'");
    expect(rows.map((r) => r._airbyte_data)).toEqual([{ id: 1 }, { id: 1, name: 'x' }]);
    expect(rows[0]!._airbyte_loaded_at).toBeNull();
  });

  it('streams with a namespace go to that schema', async () => {
    await writeOk(config({ schema: 'unused' }), catalog({ name: 'nsd', namespace: 'Other NS', properties: { id: { type: 'integer' } } }), [rec('nsd', { id: 1 }, 1, 'Other NS'), state(1)]);
    expect(await q('SELECT id::int FROM "Other_NS".nsd')).toEqual([{ id: 1 }]);
  });
});

describe('native:destination-postgres config and errors', () => {
  it('accepts the official config shapes unchanged: every field, every ssl_mode', async () => {
    const certFile = (await q('SHOW ssl_cert_file'))[0]!.ssl_cert_file as string;
    const serverCert = readFileSync(certFile, 'utf8');
    const names = new X509Certificate(serverCert).subjectAltName ?? '';
    if (!names.includes('DNS:localhost')) throw new Error(`the PostgreSQL server certificate (${certFile}) must name localhost for the verify-full test; it names: ${names}`);
    const dir = mkdtempSync(join(tmp, 'airdock-pgdest-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=airdock-client'], { stdio: 'ignore' });
    const full = {
      host: env.host, port: env.port, database: DB, schema: 'public', username: env.user, password: env.password,
      jdbc_url_params: 'connectTimeout=30&ApplicationName=airdock-test', raw_data_schema: 'airbyte_internal', disable_type_dedupe: false,
      drop_cascade: false, unconstrained_number: true, cdc_deletion_mode: 'Hard delete', ssl: true, ssl_mode: { mode: 'require' },
      tunnel_method: { tunnel_method: 'NO_TUNNEL' },
    };
    const modes = [
      { mode: 'disable' }, { mode: 'allow' }, { mode: 'prefer' }, { mode: 'require' },
      { mode: 'verify-ca', ca_certificate: serverCert },
      { mode: 'verify-full', ca_certificate: serverCert, client_certificate: readFileSync(join(dir, 'c.pem'), 'utf8'), client_key: readFileSync(join(dir, 'k.pem'), 'utf8') },
    ];
    for (const ssl_mode of modes) {
      const cfg = { ...full, ssl_mode, ...(ssl_mode.mode === 'verify-full' ? { host: 'localhost' } : {}) };
      const r = await import('../../native-connectors/sdk/testing/index.js').then((m) => m.runTargetCommand({ kind: 'definition', definition: destinationPostgres }, 'check', { config: cfg }));
      expect(r.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus, `${ssl_mode.mode}: ${JSON.stringify(r.messages)}`).toEqual({ status: 'SUCCEEDED' });
    }
    const { runTargetCommand } = await import('../../native-connectors/sdk/testing/index.js');
    const mismatch = await runTargetCommand({ kind: 'definition', definition: destinationPostgres }, 'check', { config: { ...full, host: '127.0.0.1', ssl_mode: modes[5] } });
    expect(mismatch.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.status).toBe('FAILED');
    const tunnel = await runTargetCommand({ kind: 'definition', definition: destinationPostgres }, 'check', { config: { ...full, tunnel_method: { tunnel_method: 'SSH_KEY_AUTH', tunnel_host: 'h', tunnel_port: 22, tunnel_user: 'u', ssh_key: 'k' } } });
    expect(tunnel.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.message).toMatch(/not supported yet/);
    const jdbc = await runTargetCommand({ kind: 'definition', definition: destinationPostgres }, 'check', { config: { ...full, jdbc_url_params: 'weirdParam=1' } });
    expect(jdbc.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.message).toMatch(/weirdParam is not supported/);
  });

  it('a refused login and a missing privilege are config errors that never show the password', async () => {
    const { runTargetCommand } = await import('../../native-connectors/sdk/testing/index.js');
    const secret = 'S3cr3t-"pw\\x';
    const wrong = await runTargetCommand(native, 'check', { config: config({ password: secret }) });
    const status = wrong.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/refused the login/);
    expect(JSON.stringify(wrong.messages) + wrong.stderr).not.toContain('S3cr3t');
    const role = `airdock_pgdest_limited_${process.pid}`;
    await db.query(`CREATE ROLE ${role} LOGIN PASSWORD 'limited-pw'`);
    await db.query('CREATE SCHEMA IF NOT EXISTS locked');
    await db.query(`REVOKE CREATE ON DATABASE ${DB} FROM PUBLIC`);
    const r = await write(config({ schema: 'locked', username: role, password: 'limited-pw' }), catalog({ name: 'x', properties: { id: { type: 'integer' } } }), [rec('x', { id: 1 }), state(1)]);
    expect(r.code).toBe(1);
    expect(traceOf(r.out)).toMatchObject({ failure_type: 'config_error' });
    expect(traceOf(r.out).message).toMatch(/AIRDOCK_DESTINATION_ACCESS.*privilege.*permission denied for schema locked/);
    expect(r.out).not.toContain('limited-pw');
  });

  it('a connection lost mid-write is a transient error and nothing after the last commit is acknowledged', async () => {
    const cat = catalog({ name: 'lost', properties: { id: { type: 'integer' } } });
    const dir = mkdtempSync(join(tmp, 'airdock-pgdest-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(config({ schema: 'lost', jdbc_url_params: 'ApplicationName=airdock-lost-test' })));
    writeFileSync(join(dir, 'cat.json'), JSON.stringify(cat));
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const input = new PassThrough();
    const run = runConnector(destinationPostgres, ['write', '--config', join(dir, 'c.json'), '--catalog', join(dir, 'cat.json')], { stdout, stdin: input });
    input.write(`${rec('lost', { id: 1 })}\n${state(1)}\n`);
    await new Promise((r) => setTimeout(r, 1500));
    input.write(`${rec('lost', { id: 2 })}\n`);
    await new Promise((r) => setTimeout(r, 300));
    await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'airdock-lost-test'");
    input.end(`${state(2)}\n`);
    expect(await run).toBe(1);
    const out = Buffer.concat(chunks).toString('utf8');
    expect(out.match(/"type":"STATE"/g)?.length).toBe(1);
    expect(traceOf(out), out).toMatchObject({ failure_type: "transient_error" });
    expect(await q('SELECT id::int FROM lost.lost')).toEqual([{ id: 1 }]);
  });
});

describe('native:destination-postgres batches that grow while a dedup merge runs', () => {
  it('a kill -9 mid-sync loses no record before an echoed STATE', async () => {
    // The default batch size (100k, no batch_size in the config) and a STATE every 5,000 records: a
    // batch reaches its size while the previous merge still runs, so it grows (up to 8x) instead of
    // waiting; the process is killed once a STATE past the first batches is echoed. Every record
    // before the last echoed STATE must be in the table.
    const dir = mkdtempSync(join(tmp, 'airdock-pgdest-kill-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(config({ schema: 'grown' })));
    writeFileSync(join(dir, 'cat.json'), JSON.stringify(catalog({ name: 'g', properties: { id: { type: 'integer' }, v: { type: 'string' } }, mode: 'append_dedup', pk: ['id'], cursor: 'id' })));
    const dst = spawn(process.execPath, [join(repoRoot, 'dist/native-connectors/destination-postgres/main.js'), 'write', '--config', join(dir, 'c.json'), '--catalog', join(dir, 'cat.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
    dst.stdin.on('error', () => {}); // EPIPE once killed
    const echoed: number[] = [];
    const enough = new Promise<void>((done) => {
      let buf = '';
      dst.stdout.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
          const m = JSON.parse(buf.slice(0, nl)) as { type: string; state?: { data: { n: number } } };
          buf = buf.slice(nl + 1);
          if (m.type === 'STATE') echoed.push(m.state!.data.n);
          if (echoed[echoed.length - 1]! >= 300_000) done();
        }
      });
    });
    const closed = new Promise((r) => dst.once('close', r));
    void (async () => {
      for (let b = 0; b < 200 && dst.exitCode === null && dst.signalCode === null; b++) {
        const lines: string[] = [];
        for (let i = b * 5000 + 1; i <= (b + 1) * 5000; i++) lines.push(rec('g', { id: i, v: 'x'.repeat(i % 20) }));
        lines.push(state((b + 1) * 5000));
        if (!dst.stdin.write(`${lines.join('\n')}\n`)) await new Promise((r) => dst.stdin.once('drain', r));
      }
    })();
    await enough;
    dst.kill('SIGKILL');
    await closed;
    const upto = echoed[echoed.length - 1]!;
    expect(echoed).toEqual([...echoed].sort((a, b) => a - b));
    expect(await q(`SELECT count(DISTINCT id)::int AS n FROM grown.g WHERE id <= ${upto}`)).toEqual([{ n: upto }]);
  });
});
