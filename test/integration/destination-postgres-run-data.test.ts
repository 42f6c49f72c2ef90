import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDestinationHarness, type PostgresDestinationRun } from '../support/postgres-destination-run.js';

// destination-postgres checks each record's `data` itself (BarrierSink.checksRunData), so the SDK's
// run reader takes `data` as the record's last field without scanning it. Lines where it is not (meta
// or another key after it, the Python CDK's order) or where it is malformed must end as the per-line
// path leaves them: the same rows, the same lines dropped, the same error.
let harness: PostgresDestinationHarness;
let db: pg.Client;

beforeAll(async () => {
  harness = await PostgresDestinationHarness.open('pgdest_rundata');
  db = harness.db;
});

afterAll(async () => {
  await harness?.[Symbol.asyncDispose]();
});

const STREAMS = ['runs', 'lines'];
const rec = (stream: string, body: string) => `{"type":"RECORD","record":{"stream":"${stream}",${body}}}`;
/** Record bodies after the stream: `data` last or not, with keys after it, malformed. */
const BODIES = [
  '"emitted_at":1700000000000,"data":{"id":1,"s":"last field","j":{"a":{"b":{}}}}',
  '"data":{"id":2,"s":"cdk order"},"emitted_at":1700000000001',
  '"emitted_at":1700000000002,"data":{"id":3,"s":"meta after"},"meta":{"changes":[{"field":"s","change":"TRUNCATED","reason":"SOURCE_RECORD_SIZE_LIMITATION"}]}',
  '"emitted_at":1700000000003,"data":{"id":4,"s":"a key after"},"x":{"y":{}}',
  '"emitted_at":1700000000004,"data":{"id":5,"s":"a brace too many"}}',
  '"emitted_at":1700000000006,"data":{"id":7},"stream":{}',
  '"emitted_at":1700000000007,"data":{"id":8,"j":{}},"meta":{}',
  '"emitted_at":1700000000008,"data":{}',
];

function write(lines: string[]): Promise<PostgresDestinationRun> {
  return harness.write(STREAMS, { id: { type: 'integer' }, s: { type: 'string' }, j: { type: 'object' } }, lines);
}

function error(out: string): { message: string; failure_type: string } | undefined {
  const line = out.split('\n').find((l) => l.includes('"type":"ERROR"'));
  const e = line ? (JSON.parse(line) as { trace: { error: { message: string; failure_type: string } } }).trace.error : undefined;
  return e && { message: e.message, failure_type: e.failure_type };
}

describe('native:destination-postgres with data left unscanned by the run reader', () => {
  it('leaves the rows the per-line path leaves, and drops the lines it drops', async () => {
    // A leading space keeps a line out of the run reader's runs: the per-line path takes it.
    const r = await write([...BODIES.map((b) => rec('runs', b)), ...BODIES.map((b) => ` ${rec('lines', b)}`)]);
    expect(r.code, r.out).toBe(0);
    const rows = async (table: string) => (await db.query(`SELECT row(id, s, j, _airbyte_meta, _airbyte_generation_id, _airbyte_extracted_at)::text AS r FROM public.${table} ORDER BY _airbyte_extracted_at`)).rows.map((x) => x.r as string);
    const viaRuns = await rows('runs');
    expect(viaRuns).toEqual(await rows('lines'));
    expect((await db.query('SELECT id FROM public.runs ORDER BY _airbyte_extracted_at')).rows.map((x) => x.id)).toEqual(['1', '2', '3', '4', '8', null]);
    expect(viaRuns[2]).toContain('TRUNCATED');
  });

  it('fails on data whose structure holds but whose JSON does not (the envelope scan passes it) with the error of the per-line path', async () => {
    for (const bad of ['"emitted_at":1700000000000,"data":{"id":1,"s":tru}', '"emitted_at":1700000000000,"data":{"id":6,"s":"broken {"x}']) {
      const viaRuns = await write([rec('runs', bad)]);
      const viaLines = await write([` ${rec('runs', bad)}`]);
      expect(viaRuns.code).toBe(1);
      expect(viaLines.code).toBe(1);
      expect(error(viaRuns.out)?.message).toBeTruthy();
      expect(error(viaRuns.out)).toEqual(error(viaLines.out));
    }
  });
});
