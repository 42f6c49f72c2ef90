import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo-paths.js';
import { runSyncCli } from '../support/sync-harness.js';

// End to end: the real Airbyte faker connector (image built by scripts/ci-setup.sh) into our native
// DuckDB destination, twice: the second run resumes from the committed state.
const versions = Object.fromEntries(readFileSync(join(repoRoot, 'images/versions.env'), 'utf8').split('\n')
  .filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=', 2) as [string, string]));
const fakerImage = `${versions.FAKER_IMAGE_REPO}:${versions.FAKER_VERSION}`;
const duckdbMain = join(repoRoot, 'dist/native-connectors/destination-duckdb/main.js');

describe('e2e: faker image → native DuckDB', () => {
  it('has what it needs: the native DuckDB destination is built (npm run build)', () => {
    expect(existsSync(duckdbMain)).toBe(true);
  });

  it('syncs users incrementally, commits state, and a rerun resumes from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-e2e-'));
    const db = join(dir, 'faker.duckdb');
    const file = join(dir, 'faker-to-duckdb.yaml');
    writeFileSync(file, `name: e2e-faker-duckdb-${process.pid}
source: { connector: ${fakerImage}, config: { count: 500, seed: 1, records_per_slice: 100 } }
destination: { connector: native:destination-duckdb, config: { destination_path: ${db} } }
streams:
  - { name: users, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [updated_at], primary_key: [[id]] }
retry: { attempts: 1 }
`);
    const first = await runSyncCli(file, dir, { timeoutMs: 170_000 });
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary).toMatchObject({ status: 'succeeded', recordsEmitted: 500, recordsCommitted: 500, stateCommitted: true });
    const state = JSON.parse(readFileSync(join(dir, '.airdock/state', `e2e-faker-duckdb-${process.pid}.json`), 'utf8'));
    expect(state[0].stream.stream_descriptor.name).toBe('users');
    const second = await runSyncCli(file, dir, { timeoutMs: 170_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(second.summary.recordsEmitted).toBeLessThanOrEqual(500);
    expect(second.stderr).not.toContain('--full-refresh');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(db);
    const conn = await inst.connect();
    const rows = (await conn.runAndReadAll('SELECT count(*) AS n, count(DISTINCT id) AS d FROM users')).getRowObjects();
    expect(Number(rows[0]!.n)).toBe(Number(rows[0]!.d));
    expect(Number(rows[0]!.d)).toBe(500);
  });
});
