import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../support/sync-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-source.js';

// End to end through `airdock sync`: the bare name source-postgres (native) into native DuckDB and local JSON.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('pgsync');
  await db.sql.query(`CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, balance numeric(20,2), big bigint, updated_at timestamptz NOT NULL);
    INSERT INTO customers SELECT g, 'customer ' || g, g * 1.25, CASE WHEN g = 1 THEN 9223372036854775807 ELSE g END, timestamptz '2024-01-01' + g * interval '1 minute'
    FROM generate_series(1, 1000) g;`);
}, 60_000);

afterAll(async () => { await db?.[Symbol.asyncDispose](); });

function connection(dir: string, name: string, destination: string, streams: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}
source: { connector: source-postgres, config: ${JSON.stringify(db.config())} }
destination: ${destination}
streams:
${streams}
retry: { attempts: 1 }
`);
  return file;
}

describe('e2e: airdock sync source-postgres → native destinations', () => {
  it('→ DuckDB: incremental append_dedup, exact bigints, a second sync adds only the new row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-pgsync-'));
    const duck = join(dir, 'pg.duckdb');
    const file = connection(dir, `pg-duckdb-${process.pid}`, `{ connector: native:destination-duckdb, config: { destination_path: ${duck} } }`,
      '  - { name: customers, namespace: public, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [updated_at], primary_key: [[id]] }');
    const first = await runSyncCli(file, dir, { timeoutMs: 120_000, env: { AIRDOCK_OFFLINE: '1' } });
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary).toMatchObject({ status: 'succeeded', recordsEmitted: 1000, stateCommitted: true });
    await db.sql.query(`INSERT INTO customers VALUES (1001, 'late', 1.00, 1001, timestamptz '2030-01-01')`);
    const second = await runSyncCli(file, dir, { timeoutMs: 120_000, env: { AIRDOCK_OFFLINE: '1' } });
    expect(second.code, second.stderr).toBe(0);
    expect(second.summary.recordsEmitted).toBe(1);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(duck, { access_mode: 'READ_ONLY' });
    const conn = await inst.connect();
    try {
      const rows = (await conn.runAndReadAll(`SELECT count(*) AS n, max(big)::VARCHAR AS big FROM customers`)).getRowObjects();
      expect(Number(rows[0]!.n)).toBe(1001);
      expect(rows[0]!.big).toBe('9223372036854775807');
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  it('→ local JSON: full refresh, every row once with its exact values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-pgsync-'));
    const out = join(dir, 'json');
    const file = connection(dir, `pg-json-${process.pid}`, `{ connector: native:destination-local-json, config: { destination_path: ${out} } }`,
      '  - { name: customers, namespace: public, sync_mode: full_refresh, destination_sync_mode: overwrite }');
    const r = await runSyncCli(file, dir, { timeoutMs: 120_000, env: { AIRDOCK_OFFLINE: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(out, '_airbyte_raw_customers.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1000);
    const ids = new Set(lines.map((l) => JSON.parse(l)._airbyte_data.id as number));
    expect(ids.size).toBe(lines.length);
    expect(lines.find((l) => l.includes('"id":1,'))).toContain('"big":9223372036854775807');
  });
});
