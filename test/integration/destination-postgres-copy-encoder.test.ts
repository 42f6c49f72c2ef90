import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDestinationHarness } from '../support/postgres-destination-run.js';

// The destination types most rows straight from the JSON bytes (CopyRowEncoder) and the rest the
// exact way (JSON.parse + coerceValue). A RECORD with `meta` always takes the exact way, so the same
// rows sent with and without an empty `meta` must leave the same table contents in PostgreSQL.
let harness: PostgresDestinationHarness;
let db: pg.Client;

beforeAll(async () => {
  harness = await PostgresDestinationHarness.open('pgdest_enc');
  db = harness.db;
});

afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
});

const PROPERTIES = {
  id: { type: 'integer' }, s: { type: 'string' }, n: { type: 'number' }, b: { type: 'boolean' }, d: { type: 'string', format: 'date' },
  ts: { type: 'string', format: 'date-time' }, tn: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
  t: { type: 'string', format: 'time', airbyte_type: 'time_without_timezone' }, j: { type: 'object' }, tz: { type: 'string', format: 'time' },
};

/** `data` as JSON text, written by hand: numbers such as 1.50 and escapes such as \/ stay as sent. */
const ROWS = [
  '{"id":1,"s":"plain","n":1.50,"b":true,"d":"2024-02-29","ts":"2024-01-01T10:20:30.123456+05:30","tn":"2024-01-01 10:20:30","t":"23:59:60.5","j":{"a":[1,2.50]}}',
  '{"s":"é ünï 中文 😀 \\ud83d\\ude00 \\u00e9 \\u2028","id":2,"n":0.10,"extra":{"x":1},"more":"m","num":3}',
  '{"id":3,"s":"tab\\there\\nnew\\r \\"q\\" back\\\\slash \\/ \\b\\f \\u0009\\u000a\\u005c","n":-0.5,"b":false}',
  '{"id":4,"s":"","n":0,"d":null,"j":null,"b":null}',
  '{"id":5,"s":"nul\\u0000byte","n":1e400}',
  '{"id":6,"s":"a\\\\u0000b","n":12345678901234567890.5}',
  '{"id":7,"s":"\\ud83d lone","n":-0}',
  '{"id":8,"s":12,"n":"1.5","b":"yes","d":"2023-02-29","ts":"nope","t":"24:00"}',
  '{ "id" : 9 , "s" : "spaced" ,"n":100.000,"tn":"2024-01-01T00:00:00.123456"}',
  '{"id":10,"s":"dup","s":"last"}',
  '{"id":11,"n":123456789012345,"ts":"2024-01-01T00:00:00Z","d":"2024-12-31T23:59:59Z"}',
  '{"id":12,"n":3.141592653589793,"s":"x:1234567890123456"}',
  '{"id":13,"j":{"b":1, "a":[1,{"x":"é\\n\\\\ \\u00e9"}],"b":2},"extra":[{"deep":[null]}]}',
  '{"id":14,"j":[],"s":"x"}',
  '{"id":15,"j":{"n":1.50}}',
  '{"id":16,"n":-98765.43210,"ts":"0001-01-01T00:00:00-15:00","tn":"9999-12-31T23:59:59.999999+05","d":"1600-02-29","t":"00:00:00.000001","tz":"23:59:59.999999-15:00"}',
  '{"id":17,"n":10000,"ts":"2016-12-31T23:59:60Z","tn":"2024-01-01T00:00:00.1234567","tz":"10:20:30","t":"10:20+05"}',
  '{"id":1234567890123456789,"n":0.10,"s":"a 19-digit id"}',
  '{"id":-9223372036854775808,"n":12345678901234.50}',
  '{"id":19,"n":0.30000000000000004,"j":{"x":[37.77492950000001,-0.1000000000000000055511151231257827]}}',
  '{"id":20,"n":0.12345678901234567890}',
  '{"id":18,"n":0.000001,"ts":"1969-12-31 23:59:59.9","tz":"00:00Z","s":"","b":false,"j":[{"a":"\\u00e9\\n"}]}',
];

async function write(lines: string[]): Promise<void> {
  const r = await harness.write(['fast', 'exact'], PROPERTIES, lines);
  expect(r.code, r.out).toBe(0);
}

describe('native:destination-postgres byte encoder', () => {
  it('leaves the same rows as the exact path for edge values (escapes, surrogates, NUL, decimals, misfits, key order, duplicates, jsonb)', async () => {
    const line = (stream: string, data: string, meta: boolean) => `{"type":"RECORD","record":{"stream":"${stream}","emitted_at":1700000000000,"data":${data}${meta ? ',"meta":{"changes":[]}' : ''}}}`;
    await write([...ROWS.map((r) => line('fast', r, false)), ...ROWS.map((r) => line('exact', r, true))]);
    const rows = async (table: string) => (await db.query(`SELECT row(id, s, n, b, d, ts, tn, t, tz, j, _airbyte_meta, _airbyte_generation_id, _airbyte_extracted_at)::text AS r FROM public.${table} ORDER BY id`)).rows.map((x) => x.r as string);
    const fast = await rows('fast');
    expect(fast).toHaveLength(ROWS.length);
    expect(fast).toEqual(await rows('exact'));
    const [one] = (await db.query(`SELECT n::text, s, j::text FROM public.fast WHERE id = 1`)).rows;
    expect(one).toEqual({ n: '1.5', s: 'plain', j: '{"a": [1, 2.5]}' });
    const [three] = (await db.query(`SELECT s FROM public.fast WHERE id = 3`)).rows;
    expect(three.s).toBe('tab\there\nnew\r "q" back\\slash / \b\f \t\n\\');
  });
});
