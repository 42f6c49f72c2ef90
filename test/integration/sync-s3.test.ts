import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../support/sync-harness.js';
import { createTestBucket, getObject, listKeys, removeTestBucket, s3Client, s3Env } from '../support/s3.js';

// End to end through `airdock sync` with bare connector names (they resolve to the native ones) and
// configs shaped as in the official docs: faker → S3 as Parquet, then S3 → DuckDB, queried.
const s3 = s3Client();
let bucket = '';
afterAll(async () => { if (bucket) await removeTestBucket(s3, bucket); s3.destroy(); });

describe('e2e: faker → S3 (Parquet) → DuckDB', () => {
  it('syncs faker users into Parquet objects, then reads them back into DuckDB', async () => {
    bucket = await createTestBucket(s3, 'e2e');
    const e = s3Env();
    const dir = mkdtempSync(join(tmpdir(), 'airdock-e2e-s3-'));
    const toS3 = join(dir, 'faker-to-s3.yaml');
    writeFileSync(toS3, `name: e2e-faker-s3-${process.pid}
source: { connector: source-faker, config: { count: 300, seed: 4 } }
destination:
  connector: destination-s3
  config:
    s3_bucket_name: ${bucket}
    s3_bucket_path: airbyte
    s3_bucket_region: us-east-1
    s3_endpoint: ${e.endpoint}
    access_key_id: ${e.key}
    secret_access_key: ${e.secret}
    format: { format_type: Parquet, compression_codec: SNAPPY }
streams:
  - { name: users, sync_mode: full_refresh, destination_sync_mode: overwrite }
retry: { attempts: 1 }
`);
    const first = await runSyncCli(toS3, dir, { timeoutMs: 120_000 });
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary).toMatchObject({ status: 'succeeded', recordsEmitted: 300 });
    const keys = await listKeys(s3, bucket);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^airbyte\/users\/\d{4}_\d{2}_\d{2}_\d+_0\.parquet$/);

    // the object as any Parquet reader sees it
    const local = join(dir, 'users.parquet');
    writeFileSync(local, await getObject(s3, bucket, keys[0]!));
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const types = Object.fromEntries((await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${local}'))`)).getRows() as [string, string][]);
    expect(types).toMatchObject({ _airbyte_raw_id: 'VARCHAR', _airbyte_extracted_at: 'TIMESTAMP WITH TIME ZONE', _airbyte_generation_id: 'BIGINT', id: 'BIGINT', age: 'BIGINT', created_at: 'TIMESTAMP WITH TIME ZONE' });
    expect((await conn.runAndReadAll(`SELECT count(*), count(DISTINCT id) FROM read_parquet('${local}')`)).getRows()).toEqual([[300n, 300n]]);
    conn.closeSync();
    inst.closeSync();

    // and back: S3 → DuckDB through the source
    const db = join(dir, 'lake.duckdb');
    const toDuck = join(dir, 's3-to-duckdb.yaml');
    writeFileSync(toDuck, `name: e2e-s3-duckdb-${process.pid}
source:
  connector: source-s3
  config:
    bucket: ${bucket}
    endpoint: ${e.endpoint}
    region_name: us-east-1
    aws_access_key_id: ${e.key}
    aws_secret_access_key: ${e.secret}
    # the objects carry destination-s3's _airbyte_* columns, which DuckDB's destination adds itself: take the data columns
    streams: [{ name: users, globs: ["airbyte/users/*.parquet"], format: { filetype: parquet }, input_schema: '{"id": "integer", "name": "string", "age": "integer"}' }]
destination: { connector: destination-duckdb, config: { destination_path: ${db} } }
retry: { attempts: 1 }
`);
    const second = await runSyncCli(toDuck, dir, { timeoutMs: 120_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(second.summary).toMatchObject({ status: 'succeeded', recordsEmitted: 300, stateCommitted: true });
    const duck = await DuckDBInstance.create(db);
    const c2 = await duck.connect();
    const rows = (await c2.runAndReadAll('SELECT count(*), count(DISTINCT id), count(name), min(_ab_source_file_url) FROM users')).getRows();
    expect(rows).toEqual([[300n, 300n, 300n, keys[0]]]);
    c2.closeSync();
    duck.closeSync();
  });
});
