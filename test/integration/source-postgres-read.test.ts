import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceConformanceChecks } from '../../native-connectors/sdk/testing/index.js';
import { selectSql } from '../../native-connectors/source-postgres/column-types.js';
import { listRelations, quoteIdent } from '../../native-connectors/source-postgres/relations.js';
import { catalogOf, configured, createTestDatabase, recordsOf, runSource, sourcePostgresMain, sourcePostgresTarget, statesOf, type TestDatabase } from '../support/postgres-source.js';
import { postgresEnv } from '../support/services.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('pgsrc');
  await db.sql.query(`
    CREATE TYPE mood AS ENUM ('sad', 'happy');
    CREATE TABLE types (
      id int PRIMARY KEY, i2 smallint, i8 bigint, num numeric, num10 numeric(10,0), dec numeric(12,3), f4 real, f8 double precision,
      m money, b boolean, d date, t time, ttz timetz, ts timestamp, tstz timestamptz, iv interval, txt text, vc varchar(10), ch char(3),
      u uuid, j json, jb jsonb, ba bytea, bt bit(4), vb varbit, inet_ inet, mac macaddr, pt point, rng int4range, e mood, x xml,
      ai int[], at text[], an numeric[], ats timestamp[], ab boolean[]);
    INSERT INTO types VALUES
      (1, -32768, 9223372036854775807, 'NaN', 1234567890, -0.001, 'Infinity', 1.7976931348623157e308,
       '-$92,233,720,368,547,758.08', true, '0044-03-15 BC', '24:00:00', '23:59:59.999999-14:59', '1969-12-31 23:59:59.999999', '2150-06-01 12:00:00+02',
       '1 year 2 mons 3 days 04:05:06.7', repeat('é', 10) || E'\\n"quoted"\\t' || chr(128512), 'abc', 'ab', '123e4567-e89b-12d3-a456-426614174000',
       '{"b": 1, "a": [1, 2]}', '{"b": 1, "a": [1, 2]}', '\\x00ff', B'1010', B'1', '10.1.2.3/32', '08:00:2b:01:02:03', '(1.5,-2)', '[1,10)', 'happy', '<a>x</a>',
       '{1,NULL,3}', '{}', '{1.50,NaN}', '{"1900-01-01 00:00:00"}', '{t,f,NULL}'),
      (2, NULL, -9223372036854775808, '-Infinity', NULL, NULL, 'NaN', '-Infinity', NULL, NULL, '2100-12-31', NULL, NULL, '2262-04-12 00:00:00.5', '1800-01-01 00:00:00+00',
       NULL, repeat('x', 1048576), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    CREATE VIEW types_view AS SELECT id, i8 FROM types;
    CREATE TABLE tie (id int PRIMARY KEY, updated_at int NOT NULL);
    INSERT INTO tie VALUES (1, 10), (2, 20), (3, 20);
    CREATE TABLE xm (id int PRIMARY KEY, v text);
    INSERT INTO xm SELECT g, 'v' || g FROM generate_series(1, 5) g;
    CREATE SCHEMA conf;
    CREATE TABLE conf.items (id bigint PRIMARY KEY, name text NOT NULL, updated_at timestamptz NOT NULL);
    INSERT INTO conf.items SELECT g, 'item ' || g, timestamptz '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 30) g;
  `);
}, 120_000);

afterAll(async () => { await db?.[Symbol.asyncDispose](); });

describe('native:source-postgres discover and full refresh', () => {
  it('discovers tables and views with the official schemas, keys and namespaces', async () => {
    const r = await runSource('discover', { config: db.config() });
    expect(r.exitCode).toBe(0);
    const types = catalogOf(r).streams.find((s) => s.name === 'types')!;
    expect(types).toMatchObject({ namespace: 'public', source_defined_primary_key: [['id']], supported_sync_modes: ['full_refresh', 'incremental'], is_resumable: true });
    expect((types.json_schema as { properties: Record<string, unknown> }).properties).toMatchObject({
      i8: { type: 'number', airbyte_type: 'integer' }, num: { type: 'number' }, num10: { type: 'number', airbyte_type: 'integer' },
      ts: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
      tstz: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
      ttz: { type: 'string', format: 'time', airbyte_type: 'time_with_timezone' }, d: { type: 'string', format: 'date' },
      j: { type: 'string' }, e: { type: 'string' }, ai: { type: 'array', items: { type: 'number', airbyte_type: 'integer' } }, at: { type: 'array', items: { type: 'string' } },
    });
    expect(catalogOf(r).streams.find((s) => s.name === 'types_view')).toMatchObject({ namespace: 'public', is_resumable: false });
  });

  it('reads every type with its edge values exactly (big numbers never pass through a double)', async () => {
    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    const r = await runSource('read', { config: db.config(), catalog: configured(cat, { types: { sync_mode: 'full_refresh' } }) });
    expect(r.exitCode).toBe(0);
    const raw = r.rawLines.filter((l) => l.includes('"type":"RECORD"'));
    expect(raw).toHaveLength(2);
    const row1 = raw.find((l) => l.includes('"id":1,'))!;
    for (const fragment of [
      '"i2":-32768', '"i8":9223372036854775807', '"num":null', '"num10":1234567890', '"dec":-0.001', '"f4":null', '"f8":1.7976931348623157e+308',
      '"m":-92233720368547758.08', '"b":true', '"d":"0044-03-15 BC"', '"t":"24:00:00.000000"', '"ttz":"23:59:59.999999-14:59"',
      '"ts":"1969-12-31T23:59:59.999999"', '"tstz":"2150-06-01T10:00:00.000000Z"', '"iv":"1 year 2 mons 3 days 04:05:06.7"',
      '"vc":"abc"', '"ch":"ab "', '"u":"123e4567-e89b-12d3-a456-426614174000"', '"j":"{\\"b\\": 1, \\"a\\": [1, 2]}"', '"jb":"{\\"a\\": [1, 2], \\"b\\": 1}"',
      '"ba":"\\\\x00ff"', '"bt":"1010"', '"vb":"1"', '"inet_":"10.1.2.3/32"', '"pt":"(1.5,-2)"', '"rng":"[1,10)"', '"e":"happy"', '"x":"<a>x</a>"',
      '"ai":[1, null, 3]', '"at":[]', '"an":[1.50, null]', '"ats":["1900-01-01T00:00:00.000000"]', '"ab":[true, false, null]',
    ]) expect(row1, fragment).toContain(fragment);
    const data = recordsOf(r, 'types');
    expect(data.find((d) => d.id === 1)!.txt).toBe(`${'é'.repeat(10)}\n"quoted"\t😀`);
    const row2 = data.find((d) => d.id === 2)!;
    expect(row2).toMatchObject({ num: null, f4: null, f8: null, d: '2100-12-31', ts: '2262-04-12T00:00:00.500000', tstz: '1800-01-01T00:00:00.000000Z', at: null });
    expect((row2.txt as string).length).toBe(1048576);
    expect(raw.find((l) => l.includes('"id":2,'))).toContain('"i8":-9223372036854775808');
    const states = statesOf(r);
    expect(states.at(-1)!.stream!.stream_state).toMatchObject({ version: 2, state_type: 'ctid', complete: true });
  });

  it('reads a view (no ctid) in one statement', async () => {
    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    const r = await runSource('read', { config: db.config(), catalog: configured(cat, { types_view: { sync_mode: 'full_refresh' } }) });
    expect(r.exitCode).toBe(0);
    expect(recordsOf(r).map((d) => d.id).sort()).toEqual([1, 2]);
  });
});

describe('native:source-postgres rows encoded from binary COPY', () => {
  // The source formats values from the server's binary/text output itself; the reference is the
  // server building the same JSON with row_to_json over column-types.ts' expressions (how the
  // source read rows before), on generated edge values over the whole range of each type.
  beforeAll(async () => {
    await db.sql.query(`
      CREATE TABLE enc (
        id int PRIMARY KEY, ts timestamp, tstz timestamptz, d date, t time, ttz timetz, txt text, vc varchar(20), ch char(5),
        i2 smallint, i4 int, i8 bigint, num numeric, num0 numeric(30,0), f4 real, f8 double precision, b boolean, m money,
        u uuid, j jsonb, ba bytea, iv interval, ai int[], ats timestamptz[], "we""ird\\ é" text);
      SELECT setseed(0.13);
      INSERT INTO enc (id, ts, tstz, d, t, txt, vc, ch, i8, num, f8, b)
      SELECT g,
        timestamp '2000-01-01' + make_interval(secs => (random() * 2 - 1) * (CASE g % 4 WHEN 0 THEN 1e3 WHEN 1 THEN 1e9 WHEN 2 THEN 1.5e11 ELSE 2.1e11 END)),
        timestamptz '2000-01-01 UTC' + make_interval(secs => CASE WHEN g % 2 = 0 THEN -random() * 2.1e11 ELSE random() * 9.2e12 END),
        date '2000-01-01' + (CASE WHEN g % 2 = 0 THEN -random() * 2451545 ELSE random() * 2145031948 END)::int,
        time '00:00' + make_interval(secs => random() * 86400),
        (SELECT string_agg(chr(CASE WHEN r < 0.3 THEN 1 + (r * 100)::int WHEN r < 0.4 THEN 34 WHEN r < 0.5 THEN 92 WHEN r < 0.7 THEN 128512 + (r * 10)::int
                                    WHEN r < 0.8 THEN 233 ELSE 32 + (r * 94)::int END), '')
         FROM (SELECT random() + g * 0 AS r FROM generate_series(1, g % 40)) x),
        left(md5(g::text), g % 21), left(md5(g::text), g % 6),
        ((random() * 2 - 1) * 9.2e18)::bigint, round(((random() - 0.5) * 1e20)::numeric, g % 12), (random() - 0.5) * 10 ^ ((g % 600) - 300), g % 2 = 0
      FROM generate_series(1, 3000) g;
      INSERT INTO enc VALUES
        (-1, 'infinity', '-infinity', 'infinity', '24:00:00', '00:00:00+00', E'\\\\u0000 \\\\ " \b\f\n\r\t \x01\x1f\x7f é 😀 \u2028', '', '', -32768, -2147483648, -9223372036854775808,
         'NaN', -123456789012345678901234567890, 'NaN', 'Infinity', false, '-92233720368547758.08', '00000000-0000-0000-0000-000000000000', '{"a": "é\\n"}', '\\x00ff', '-1 day -00:00:00.000001',
         '{1,NULL,-3}', '{"4714-11-24 00:00:00+00 BC","infinity",NULL}', 'k'),
        (-2, '-infinity', 'infinity', '-infinity', '00:00:00', '23:59:59.999999-14:59', '', 'x', 'ab', 32767, 2147483647, 9223372036854775807,
         '-Infinity', 0, '-Infinity', '-0', true, '92233720368547758.07', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]', '', '178000000 years', '{}', '{}', ''),
        (-3, '4714-11-24 00:00:00 BC', '294276-12-31 23:59:59.999999+00', '4714-11-24 BC', '23:59:59.999999', '12:00:00+05:30', NULL, NULL, NULL, 0, 0, 0,
         'Infinity', 1e29, 1.17549435e-38, 4.9e-324, NULL, 0, NULL, 'null', NULL, NULL, NULL, NULL, NULL),
        (-4, '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', '0001-01-01', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         123456789012345678901234567890.123456789012345678901234567890, NULL, 3.4028235e38, 1.7976931348623157e308, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (-5, '0001-12-31 23:59:59.999999 BC', '0001-12-31 23:59:59.999999+00 BC', '0001-12-31 BC', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (-6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    `);
  }, 120_000);

  it('equal the server\'s row_to_json byte for byte, and keep the cursor in the official format', async () => {
    const rel = (await listRelations(db.sql, ['public'])).find((r) => r.name === 'enc')!;
    const cols = rel.columns.map((c) => `${selectSql(c.type, quoteIdent(c.name))} AS ${quoteIdent(c.name)}`).join(', ');
    const expected = new Map((await db.sql.query<{ id: number; json: string }>(`SELECT id, row_to_json(r)::text AS json FROM (SELECT ${cols} FROM enc) r`)).rows.map((r) => [r.id, r.json]));
    expect(expected.size).toBe(3006);

    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    const r = await runSource('read', { config: db.config({ parallel_reads: 2, fetch_size: 1000 }), catalog: configured(cat, { enc: { sync_mode: 'full_refresh' } }) });
    expect(r.exitCode).toBe(0);
    let compared = 0;
    for (const line of r.rawLines) {
      if (!line.startsWith('{"type":"RECORD"')) continue;
      const data = line.slice(line.indexOf('"data":') + 7, -2);
      const id = Number(/^\{"id":(-?\d+)/.exec(data)![1]);
      if (data !== expected.get(id)) expect(data, `row ${id}`).toBe(expected.get(id));
      compared++;
    }
    expect(compared).toBe(3006);

    // Incremental by a timestamptz cursor: the state holds the maximum as the record shows it.
    const incremental = await runSource('read', { config: db.config(), catalog: configured(cat, { enc: { sync_mode: 'incremental', cursor_field: ['tstz'] } }) });
    const [max] = (await db.sql.query<{ v: string }>(`SELECT (${selectSql(rel.columns.find((c) => c.name === 'tstz')!.type, 'max(tstz)')})::text AS v FROM enc`)).rows;
    expect(statesOf(incremental).at(-1)!.stream!.stream_state).toMatchObject({ state_type: 'cursor_based', cursor: max!.v, cursor_record_count: 1 });
    await db.sql.query(`INSERT INTO enc (id, tstz) VALUES (-7, 'infinity')`); // a tie at the saved cursor
    const again = await runSource('read', { config: db.config(), catalog: configured(cat, { enc: { sync_mode: 'incremental', cursor_field: ['tstz'] } }), state: [statesOf(incremental).at(-1)!] });
    expect(recordsOf(again).map((d) => d.id).sort()).toEqual([-2, -7]);
    expect(statesOf(again).at(-1)!.stream!.stream_state).toMatchObject({ cursor: 'infinity', cursor_record_count: 2 });
  });
});

describe('native:source-postgres incremental', () => {
  it('Standard: keeps rows that arrive with the cursor value at the boundary (ties)', async () => {
    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    const catalog = configured(cat, { tie: { sync_mode: 'incremental', cursor_field: ['updated_at'] } });
    const first = await runSource('read', { config: db.config(), catalog });
    expect(recordsOf(first).map((d) => d.id)).toEqual([1, 2, 3]);
    const s1 = statesOf(first).at(-1)!;
    expect(s1.stream!.stream_state).toEqual({ version: 2, state_type: 'cursor_based', stream_name: 'tie', stream_namespace: 'public', cursor_field: ['updated_at'], cursor: '20', cursor_record_count: 2 });

    await db.sql.query('INSERT INTO tie VALUES (4, 20), (5, 30)');
    const second = await runSource('read', { config: db.config(), catalog, state: [s1] });
    expect(recordsOf(second).map((d) => d.id).sort()).toEqual([2, 3, 4, 5]);
    const s2 = statesOf(second).at(-1)!;
    expect(s2.stream!.stream_state).toMatchObject({ cursor: '30', cursor_record_count: 1 });

    const third = await runSource('read', { config: db.config(), catalog, state: [s2] });
    expect(recordsOf(third)).toEqual([]);
    expect(statesOf(third).at(-1)!.stream!.stream_state).toMatchObject({ cursor: '30', cursor_record_count: 1 });
  });

  it('Xmin: reads inserted and updated rows after the saved xid, and handles wraparounds', async () => {
    const config = db.config({ replication_method: { method: 'Xmin' } });
    const cat = catalogOf(await runSource('discover', { config }));
    expect(cat.streams.find((s) => s.name === 'xm')!.source_defined_cursor).toBe(true);
    expect(cat.streams.find((s) => s.name === 'types_view')!.supported_sync_modes).toEqual(['full_refresh']);
    const catalog = configured(cat, { xm: { sync_mode: 'incremental' } });
    const first = await runSource('read', { config, catalog });
    expect(recordsOf(first)).toHaveLength(5);
    const s1 = statesOf(first).at(-1)!.stream!.stream_state as { num_wraparound: number; xmin_xid_value: number; xmin_raw_value: number };
    expect(s1).toMatchObject({ version: 2, state_type: 'xmin' });

    await db.sql.query(`UPDATE xm SET v = 'changed' WHERE id = 2`);
    await db.sql.query(`INSERT INTO xm VALUES (6, 'v6')`);
    const state = (s: object) => [{ type: 'STREAM', stream: { stream_descriptor: { name: 'xm', namespace: 'public' }, stream_state: s } }];
    const second = await runSource('read', { config, catalog, state: state(s1) });
    expect(recordsOf(second).map((d) => d.id).sort()).toEqual([2, 6]);
    expect(recordsOf(second).find((d) => d.id === 2)!.v).toBe('changed');

    // One wraparound since the saved state: the saved xid is "ahead" of every row, yet all rows below the current xid are new.
    const current = statesOf(second).at(-1)!.stream!.stream_state as typeof s1;
    const oneLap = await runSource('read', { config, catalog, state: state({ ...s1, num_wraparound: current.num_wraparound - 1, xmin_xid_value: 4_000_000_000 }) });
    expect(recordsOf(oneLap)).toHaveLength(6);
    // Two or more: the table is read again from the start (ctid initial load), ending in a fresh xmin state.
    const twoLaps = await runSource('read', { config, catalog, state: state({ ...s1, num_wraparound: current.num_wraparound - 2 }) });
    expect(recordsOf(twoLaps)).toHaveLength(6);
    expect(statesOf(twoLaps).at(-1)!.stream!.stream_state).toMatchObject({ state_type: 'xmin' });
  });
});

describe('native:source-postgres errors', () => {
  it('fails check with a clear message and no password for wrong credentials, database and schema', async () => {
    const secret = 'n0t-the-Passw0rd';
    const bad = await runSource('check', { config: db.config({ password: secret }) });
    const status = bad.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!;
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/rejected the user name or password/);
    expect(bad.rawLines.join('\n')).not.toContain(secret);
    const noDb = await runSource('check', { config: db.config({ database: 'airdock_no_such_db' }) });
    expect(noDb.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!.message).toMatch(/database does not exist/);
    const noSchema = await runSource('check', { config: db.config({ schemas: ['nope'] }) });
    expect(noSchema.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!.message).toMatch(/schema does not exist/);
  });

  it('fails check when the user lacks USAGE on a schema, saying what to GRANT', async () => {
    const user = `${db.name}_ro`;
    await db.sql.query(`CREATE ROLE ${user} LOGIN PASSWORD 'ro-pass'`);
    const r = await runSource('check', { config: db.config({ username: user, password: 'ro-pass', schemas: ['conf'] }) });
    const status = r.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!;
    expect(status.status).toBe('FAILED');
    expect(status.message).toContain(`GRANT USAGE ON SCHEMA "conf" TO "${user}"`);
    await db.sql.query(`DROP ROLE ${user}`);
  });

  it('reports an unreachable server and a statement timeout as transient errors', async () => {
    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    const catalog = configured(cat, { types_view: { sync_mode: 'full_refresh' } });
    const down = await runSource('read', { config: db.config({ port: 1 }), catalog });
    expect(down.exitCode).toBe(1);
    expect(down.messages.find((m) => m.type === 'TRACE')!.trace!.error!.failure_type).toBe('transient_error');
    await db.sql.query('CREATE VIEW slow AS SELECT 1 AS id FROM pg_sleep(2)');
    const slowCat = catalogOf(await runSource('discover', { config: db.config() }));
    const slow = await runSource('read', { config: db.config({ statement_timeout_ms: 200 }), catalog: configured(slowCat, { slow: { sync_mode: 'full_refresh' } }) });
    const trace = slow.messages.find((m) => m.type === 'TRACE' && m.trace!.type === 'ERROR')!.trace!.error!;
    expect(trace.failure_type).toBe('transient_error');
    expect(trace.message).toMatch(/statement timeout/);
  });
});

describe('native:source-postgres parallel full refresh', () => {
  beforeAll(async () => {
    await db.sql.query(`
      CREATE TABLE big (id bigint PRIMARY KEY, val text NOT NULL, amount numeric(12,2) NOT NULL, ts timestamp NOT NULL);
      INSERT INTO big SELECT g, md5(g::text), (g % 100000) / 100.0, timestamp '2020-01-01' + g * interval '1.5 second' FROM generate_series(1, 1000000) g;
      ANALYZE big;`);
  }, 120_000);

  // The config, catalog and state files of the spawned reads: one folder per read inside this one, removed at the end.
  let files: string;
  beforeAll(() => { files = mkdtempSync(join(tmpdir(), 'airdock-pgsrc-')); });
  afterAll(() => rmSync(files, { recursive: true, force: true }));
  const writer = () => {
    const dir = mkdtempSync(join(files, 'read-'));
    return (n: string, v: object) => { const p = join(dir, n); writeFileSync(p, JSON.stringify(v)); return p; };
  };

  /** Spawns a read and calls `onLine` for each stdout line; resolves with the exit code. */
  function read(config: object, catalog: object, state: object | undefined, onLine: (line: string) => void, killAfterStates?: number): Promise<number | null> {
    const f = writer();
    const args = ['read', '--config', f('config.json', config), '--catalog', f('catalog.json', catalog), ...(state ? ['--state', f('state.json', state)] : [])];
    const child = spawn(process.execPath, [sourcePostgresMain, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let states = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      onLine(line);
      if (killAfterStates !== undefined && line.startsWith('{"type":"STATE"') && ++states === killAfterStates) child.kill('SIGKILL');
    });
    return new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  it('with parallel_reads 4 equals a COPY export of the table row for row', async () => {
    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    const got = new Map<number, string>();
    let states = 0;
    const code = await read(db.config({ parallel_reads: 4, fetch_size: 50_000 }), configured(cat, { big: { sync_mode: 'full_refresh' } }), undefined, (line) => {
      if (line.startsWith('{"type":"STATE"')) states++;
      if (!line.startsWith('{"type":"RECORD"')) return;
      const data = line.slice(line.indexOf('"data":') + 7, -2);
      got.set(Number(/^\{"id":(\d+)/.exec(data)![1]), data);
    });
    expect(code).toBe(0);
    expect(states).toBeGreaterThan(4); // resumable checkpoints along the way
    const env = postgresEnv();
    const c = new pg.Client({ ...env, database: db.name });
    await c.connect();
    let compared = 0;
    try {
      const stream = c.query(copyTo('COPY big TO STDOUT'));
      for await (const line of createInterface({ input: stream })) {
        const [id, val, amount, ts] = line.split('\t');
        const frac = ts!.includes('.') ? ts!.slice(ts!.indexOf('.') + 1).padEnd(6, '0') : '000000';
        const expected = `{"id":${id},"val":"${val}","amount":${amount},"ts":"${ts!.slice(0, 19).replace(' ', 'T')}.${frac}"}`;
        if (got.get(Number(id)) !== expected) expect(got.get(Number(id))).toBe(expected);
        compared++;
      }
    } finally {
      await c.end();
    }
    expect(compared).toBe(1_000_000);
    expect(got.size).toBe(1_000_000);
  });

  it('stops on SIGTERM mid-COPY with a TRACE error, no crash, and no backend left reading', async () => {
    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    const f = writer();
    for (const parallel of [1, 3]) {
      const child = spawn(process.execPath, [sourcePostgresMain, 'read', '--config', f('c.json', db.config({ parallel_reads: parallel })), '--catalog', f('cat.json', configured(cat, { big: { sync_mode: 'full_refresh' } }))], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      const lines: string[] = [];
      let records = 0;
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('{"type":"RECORD"') && ++records === 1000) child.kill('SIGTERM');
      });
      const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(records).toBeLessThan(1_000_000);
      expect(lines.at(-1)).toMatch(/"type":"ERROR".*"message":"Interrupted"/);
      expect(stderr).not.toMatch(/Unhandled|Error:/);
      const { rows } = await db.sql.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'COPY%'`);
      expect(rows[0].n).toBe(0);
    }
  });

  it('resumes after kill -9 from the last state without starting over', async () => {
    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    const catalog = configured(cat, { big: { sync_mode: 'full_refresh' } });
    const config = db.config({ parallel_reads: 2, fetch_size: 20_000 });
    const seen = new Set<number>();
    let lastState: object | undefined;
    const collect = (line: string) => {
      if (!line.endsWith('}')) return; // the line a kill cut short
      if (line.startsWith('{"type":"STATE"')) lastState = JSON.parse(line).state;
      else if (line.startsWith('{"type":"RECORD"')) seen.add(Number(/"data":\{"id":(\d+)/.exec(line)![1]));
    };
    const killed = await read(config, catalog, undefined, collect, 3);
    expect(killed).toBeNull(); // died by signal
    expect(seen.size).toBeLessThan(1_000_000);
    const resumeFrom = (lastState as { stream: { stream_state: { ctid: string } } }).stream.stream_state.ctid;
    expect(resumeFrom).toMatch(/^\(\d+,0\)$/);
    let resumed = 0;
    const code = await read(config, catalog, [lastState], (line) => { if (line.startsWith('{"type":"RECORD"')) resumed++; collect(line); });
    expect(code).toBe(0);
    expect(resumed).toBeLessThan(1_000_000);
    expect(seen.size).toBe(1_000_000);
  });
});

describe('source conformance: native:source-postgres (process)', () => {
  // The kit's checks take their config when built; the database only exists once beforeAll ran.
  const checks = () => sourceConformanceChecks(sourcePostgresTarget, { config: db.config({ schemas: ['conf'] }) });
  for (const { name } of sourceConformanceChecks(sourcePostgresTarget, { config: {} })) {
    it(name, () => checks().find((c) => c.name === name)!.run());
  }
});
