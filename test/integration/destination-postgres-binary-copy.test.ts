import pg from 'pg';
import { from } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyRowEncoder, ROW_TEXT } from '../../native-connectors/destination-postgres/copy-row-encoder.js';
import { PgStream } from '../../native-connectors/destination-postgres/pg-stream.js';
import { postgresOptions } from '../../native-connectors/destination-postgres/postgres-config.js';
import { coerceValue, parseRecordData, type LogicalType } from '../../native-connectors/sdk/sql/index.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-source.js';
import { postgresEnv } from '../support/services.js';

// Rows the byte encoder takes go to PostgreSQL as binary COPY. Each binary field must be the value
// PostgreSQL's own text input makes of the text the COPY text path sends: compared here with the
// type's send function (its binary form) applied to that text, on edge values.
const env = postgresEnv();
let database: TestDatabase;
let db: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('pgdest_bin');
  db = database.sql;
});

afterAll(async () => {
  await database?.[Symbol.asyncDispose]();
});

const PG: Record<LogicalType, string> = {
  integer: 'bigint', number: 'numeric', boolean: 'boolean', string: 'varchar', date: 'date', timestamp_tz: 'timestamptz',
  timestamp: 'timestamp', time: 'time', time_tz: 'timetz', json: 'jsonb',
};

/** The binary field the encoder writes for `{"v":<json>}` (without its length), or undefined when it leaves it to COPY text. */
function binary(type: LogicalType, json: string): Buffer | undefined {
  const enc = new CopyRowEncoder([{ field: 'v', type }]);
  const b = Buffer.from(`xx{"v":${json}}yy`);
  expect(enc.scan(b, 2, b.length - 2), json).toBe(b.length - 2);
  const max = 3 + enc.maxBinaryBytes(b.length - 4);
  const out = Buffer.alloc(max + 8, 0x7e);
  const end = enc.writeBinary(b, out, 3);
  // scanBinary (the load's path: fields written as the row is read) writes the same.
  const fused = Buffer.alloc(max + 8, 0x7e);
  expect(enc.scanBinary(b, 2, b.length - 2, fused, 3), json).toBe(end < 0 ? ROW_TEXT : end);
  if (end < 0) return undefined;
  expect(fused.subarray(3, end).equals(out.subarray(3, end)), json).toBe(true);
  expect(fused.subarray(max).toString('hex'), json).toBe('7e'.repeat(8));
  expect(out.readInt32BE(3), json).toBe(end - 7);
  expect(out.subarray(max).toString('hex'), json).toBe('7e'.repeat(8)); // nothing past the bound
  return out.subarray(7, end);
}

const SEND: Record<LogicalType, string> = {
  integer: 'int8send', number: 'numeric_send', boolean: 'boolsend', string: 'varcharsend', date: 'date_send', timestamp_tz: 'timestamptz_send',
  timestamp: 'timestamp_send', time: 'time_send', time_tz: 'timetz_send', json: 'jsonb_send',
};

const VALUES: Record<Exclude<LogicalType, 'json'>, string[]> = {
  integer: ['0', '1', '-1', '42', '4294967295', '4294967296', '-4294967296', '-4294967297', '123456789012345', '-123456789012345', '2147483648',
    '1234567890123456', '-1234567890123456789', '9223372036854775807', '-9223372036854775808', '1796063599306123456'],
  number: ['0', '1', '-1', '0.01', '0.5', '-0.5', '1.50', '100.000', '10000', '9999', '12345.6789', '0.000001', '0.0001', '99999999.99990', '123456789012345',
    '1234567.89012345', '-0.000123', '3.14159265358979', '10000.0001', '0.10', '1000000000000.5', '-98765.4321',
    '0.30000000000000004', '3.141592653589793', '123456789012345.67', '0.0000012345678901234567', '1.000000000000000000001', '-37.77492950000001'],
  boolean: ['true', 'false'],
  string: ['""', '"plain"', '"é ünï 中文 😀"', '"tab\\there\\nnew\\r \\"q\\" back\\\\slash \\/ \\b\\f \\u00e9 \\ud83d\\ude00 \\u005c \\u2028"', '"x:1234567890123456"',
    // Around the lengths where the copy of a value changes from a byte loop to Buffer.copy.
    ...[32, 33, 256, 257, 1000].map((n) => JSON.stringify('a'.repeat(n))), JSON.stringify('é'.repeat(129))],
  date: ['"2024-02-29"', '"0001-01-01"', '"9999-12-31"', '"1970-01-01"', '"1999-12-31"', '"2000-01-01"', '"1600-03-01"', '"1900-02-28"'],
  timestamp_tz: ['"2024-01-01T10:20:30.123456+05:30"', '"2024-01-01 10:20+0530"', '"0001-01-01T00:00:00Z"', '"9999-12-31T23:59:59.999999-15:00"',
    '"1969-12-31T23:59:59.9Z"', '"2000-01-01"', '"2024-06-30T12:00:00"', '"1900-02-28t23:59:59.5-01"', '"2262-04-11T23:47:16.854775z"', '"1677-09-21T00:12:43.145225+15"'],
  timestamp: ['"2024-01-01T10:20:30.123456"', '"2024-01-01T10:20:30+05:30"', '"0001-01-01T00:00:00"', '"9999-12-31 23:59:59.999999"', '"1969-12-31T23:59:59.9"',
    '"2000-01-01"', '"1582-10-04T12:00:00.000001Z"'],
  time: ['"10:20:30"', '"00:00"', '"23:59:59.999999"', '"12:00:00.5"', '"00:00:00.000001"'],
  time_tz: ['"10:20:30+05:30"', '"23:59:59.999999-15:00"', '"00:00Z"', '"12:34:56.789+0100"', '"01:02-03"'],
};
/** Left to COPY text: PostgreSQL rounds or rolls these over (or reads them in the session's zone). */
const LEFT_TO_TEXT: [LogicalType, string][] = [
  ['timestamp_tz', '"2016-12-31T23:59:60Z"'], ['timestamp_tz', '"2024-01-01T00:00:00.1234567Z"'], ['date', '"2024-01-01T10:00:00Z"'],
  ['time', '"10:20:30+05"'], ['time_tz', '"10:20:30"'], ['timestamp', '"2024-01-01T10:20:60"'],
];

describe('native:destination-postgres binary COPY fields', () => {
  it('are what PostgreSQL makes of the COPY text of the same value (its send functions), on edge values', async () => {
    let compared = 0;
    for (const [type, values] of Object.entries(VALUES) as [LogicalType, string[]][]) {
      for (const json of values) {
        const got = binary(type, json);
        expect(got, `${type} ${json}`).toBeDefined();
        const { data, lossless } = parseRecordData(`{"v":${json}}`);
        const text = coerceValue(type, data.v, lossless);
        expect(text.change, `${type} ${json}`).toBeUndefined();
        const fn = SEND[type];
        const [row] = (await db.query({ text: `SELECT ${fn}($1::${PG[type]}) AS b`, values: [text.text] })).rows;
        expect(got!.toString('hex'), `${type} ${json} (${fn})`).toBe((row.b as Buffer).toString('hex'));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(70);
    for (const [type, json] of LEFT_TO_TEXT) expect(binary(type, json), `${type} ${json}`).toBeUndefined();
  });

  it('jsonb fields are version 1 and the JSON as sent', () => {
    expect(binary('json', '{"a": [1, 2.5, "\\n"]}')?.toString()).toBe('\u0001{"a": [1, 2.5, "\\n"]}');
  });

  it('a stream loads as binary COPY into the tables it creates, beside COPY text for the rows left to text, and as COPY text into other column types', async () => {
    const o = postgresOptions({ host: env.host, port: env.port, database: database.name, schema: 'public', username: env.user, password: env.password } as never);
    const configured = (name: string) => ({
      stream: { name, json_schema: { type: 'object', properties: { id: { type: 'integer' }, s: { type: 'string' }, ts: { type: 'string', format: 'date-time' } } }, supported_sync_modes: ['full_refresh'] },
      sync_mode: 'full_refresh', destination_sync_mode: 'append', generation_id: 1, minimum_generation_id: 0, sync_id: 5,
    }) as never;
    const client = new pg.Client({ host: env.host, port: env.port, database: database.name, user: env.user, password: env.password });
    await client.connect();
    try {
      await client.query("SET TimeZone = 'UTC'");
      await client.query('CREATE TABLE public.other_types (_airbyte_raw_id varchar NOT NULL, _airbyte_extracted_at timestamptz NOT NULL, _airbyte_meta jsonb NOT NULL, _airbyte_generation_id bigint, id integer, s text, ts timestamptz)');
      const lines = (stream: string) => Buffer.from([
        '{"id":1,"s":"a","ts":"2024-01-01T00:00:00Z"}', '{"id":2,"s":"b","ts":"2024-01-01T23:59:60Z"}', '{"id":3,"s":12}',
      ].map((d) => `{"type":"RECORD","record":{"stream":"${stream}","emitted_at":1700000000000,"data":${d}}}\n`).join(''));
      const sqls: Record<string, string[]> = {};
      for (const name of ['binary_copy', 'other_types']) {
        const s = new PgStream(configured(name), o, 0);
        await s.prepare(client, async () => {});
        s.appendRun(lines(name), 3, undefined);
        const parts = s.take()!;
        sqls[name] = parts.map((p) => p.sql.replace(/^COPY .* FROM STDIN/, 'COPY'));
        await client.query('BEGIN');
        for (const p of parts) {
          await new Promise<void>((resolve, reject) => { const w = client.query(from(p.sql)); w.once('finish', resolve); w.once('error', reject); w.end(p.data); });
        }
        await client.query('COMMIT');
      }
      // id 1 binary; id 2 (a leap second) and id 3 (a number for a string column: the exact path) as text.
      expect(sqls).toEqual({ binary_copy: ['COPY (FORMAT binary)', 'COPY'], other_types: ['COPY'] });
      const rows = async (t: string) => (await db.query(`SELECT row(id, s, ts, _airbyte_meta, _airbyte_generation_id, _airbyte_extracted_at)::text AS r FROM public.${t} ORDER BY id`)).rows.map((r) => r.r as string);
      expect(await rows('binary_copy')).toEqual(await rows('other_types'));
      expect(await rows('binary_copy')).toEqual([
        '(1,a,"2024-01-01 00:00:00+00","{""changes"": [], ""sync_id"": 5}",1,"2023-11-14 22:13:20+00")',
        '(2,b,"2024-01-02 00:00:00+00","{""changes"": [], ""sync_id"": 5}",1,"2023-11-14 22:13:20+00")',
        '(3,12,,"{""changes"": [], ""sync_id"": 5}",1,"2023-11-14 22:13:20+00")',
      ]);
    } finally {
      await client.end();
    }
  });
});
