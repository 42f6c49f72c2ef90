import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../support/sync-harness.js';
import { clickhouseEnv, requireClickHouse, rows, uniqueDatabase } from '../support/clickhouse.js';

// End to end with `airdock sync` and bare names (the native overlay resolves them): faker → ClickHouse with
// a config shaped as the official destination's docs show it, then ClickHouse → DuckDB through the
// ClickHouse source, incrementally.
const db = uniqueDatabase('e2e');
let ch: ClickHouseClient;
beforeAll(async () => { ch = await requireClickHouse(); });
afterAll(async () => {
  await ch?.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch?.close();
});

describe('e2e: faker → ClickHouse → DuckDB', () => {
  it('loads faker into ClickHouse (dedup), then reads it back into DuckDB incrementally', async () => {
    const e = clickhouseEnv();
    const dir = mkdtempSync(join(tmpdir(), 'airdock-e2e-ch-'));
    const toCh = join(dir, 'faker-to-clickhouse.yaml');
    writeFileSync(toCh, `name: e2e-faker-ch-${process.pid}
source: { connector: source-faker, config: { count: 2000, seed: 5, records_per_slice: 500 } }
destination:
  connector: destination-clickhouse
  config: { host: ${e.host}, port: "${e.port}", protocol: http, database: ${db}, username: ${e.username}, password: ${e.password}, enable_json: false, tunnel_method: { tunnel_method: NO_TUNNEL } }
streams:
  - { name: users, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [updated_at], primary_key: [[id]] }
  - { name: purchases, sync_mode: full_refresh, destination_sync_mode: overwrite }
retry: { attempts: 1 }
`);
    const first = await runSyncCli(toCh, dir, { timeoutMs: 170_000 });
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary).toMatchObject({ status: 'succeeded', stateCommitted: true });
    expect(await rows(ch, `SELECT (SELECT count() FROM ${db}.users FINAL) AS u, (SELECT count() FROM ${db}.purchases) AS p`)).toEqual([{ u: 2000, p: expect.any(Number) }]);

    // Read back through a FINAL view without the Airbyte columns (the DuckDB destination adds its own).
    await ch.command({ query: `CREATE VIEW ${db}.users_current AS SELECT * EXCEPT (_airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta, _airbyte_generation_id) FROM ${db}.users FINAL` });
    const duck = join(dir, 'copy.duckdb');
    const toDuck = join(dir, 'clickhouse-to-duckdb.yaml');
    writeFileSync(toDuck, `name: e2e-ch-duck-${process.pid}
source: { connector: source-clickhouse, config: { host: ${e.host}, port: ${e.port}, database: ${db}, username: ${e.username}, password: ${e.password}, ssl: false } }
destination: { connector: destination-duckdb, config: { destination_path: ${duck} } }
streams:
  - { name: users_current, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [updated_at], primary_key: [[id]] }
retry: { attempts: 1 }
`);
    const read1 = await runSyncCli(toDuck, dir, { timeoutMs: 170_000 });
    expect(read1.code, read1.stderr).toBe(0);
    expect(read1.summary).toMatchObject({ status: 'succeeded', recordsEmitted: 2000, stateCommitted: true });
    const again = await runSyncCli(toDuck, dir, { timeoutMs: 170_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.summary.recordsEmitted).toBe(0);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(duck);
    const conn = await inst.connect();
    const got = (await conn.runAndReadAll('SELECT count(*) AS n, count(DISTINCT id) AS d FROM users_current')).getRowObjects();
    conn.closeSync();
    inst.closeSync();
    expect([Number(got[0]!.n), Number(got[0]!.d)]).toEqual([2000, 2000]);
  });
});
