import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../support/sync-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-source.js';
import { cliPath } from '../support/repo-paths.js';
import { postgresEnv } from '../support/services.js';

/** Every temp dir of this file (configs, catalogs, state) lives in here, removed at the end. */
const tmp = mkdtempSync(join(tmpdir(), 'airdock-e2e-pg-'));

// e2e: native faker → native PostgreSQL through `airdock sync`, in a database of its own.
const env = postgresEnv();
let testDb: TestDatabase;
let db: TestDatabase['sql'];
let DB: string;

beforeAll(async () => {
  testDb = await createTestDatabase('e2e_pgdest');
  db = testDb.sql;
  DB = testDb.name;
}, 60_000);

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await testDb?.[Symbol.asyncDispose]();
});

const count = async (sql: string) => Number((await db.query(sql)).rows[0]!.n);

function connection(name: string, source: object, destination: object, streams: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmp, 'airdock-e2e-pg-'));
  const file = join(dir, 'connection.yaml');
  writeFileSync(file, `name: ${name}
source: { connector: native:source-faker, config: ${JSON.stringify(source)} }
destination: { connector: destination-postgres, config: ${JSON.stringify({ host: env.host, port: env.port, database: DB, username: env.user, password: env.password, ...destination })} }
streams:
${streams}
retry: { attempts: 1 }
`);
  return { dir, file };
}

describe('e2e: native faker → native PostgreSQL', () => {
  it('syncs every stream into typed tables (bare name destination-postgres), and a rerun of dedup streams keeps each key once', async () => {
    const { dir, file } = connection(`e2e-pg-${process.pid}`, { count: 3000, seed: 4, records_per_slice: 500 }, { schema: 'faker' }, `  - { name: users, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [updated_at], primary_key: [[id]] }
  - { name: purchases, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [updated_at], primary_key: [[id]] }
  - { name: products, sync_mode: full_refresh, destination_sync_mode: overwrite }`);
    const first = await runSyncCli(file, dir, { timeoutMs: 120_000 });
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary).toMatchObject({ status: 'succeeded', stateCommitted: true });
    expect(await count('SELECT count(*) AS n FROM faker.users')).toBe(3000);
    expect(await count('SELECT count(*) AS n FROM faker.products')).toBe(100);
    const purchases = await count('SELECT count(*) AS n FROM faker.purchases');
    expect(purchases).toBeGreaterThan(0);
    const types = (await db.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'faker' AND table_name = 'users'")).rows;
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.data_type]))).toMatchObject({
      id: 'bigint', age: 'bigint', created_at: 'timestamp with time zone', name: 'character varying', address: 'jsonb', _airbyte_meta: 'jsonb',
    });
    const second = await runSyncCli(file, dir, { args: ['--full-refresh'], timeoutMs: 120_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(await count('SELECT count(*) AS n FROM faker.users')).toBe(3000);
    expect(await count('SELECT count(DISTINCT id) AS n FROM faker.users')).toBe(3000);
    expect(await count('SELECT count(*) AS n FROM faker.products')).toBe(100);
  });

  it('kill -9 mid-batch, then a rerun: every key exactly once (append_dedup), nothing acknowledged lost', async () => {
    const total = 150_000;
    const name = `e2e-pg-kill-${process.pid}`;
    const { dir, file } = connection(name, { count: total, seed: 9, records_per_slice: 1000, always_updated: false }, { schema: 'killed', batch_size: 20_000 },
      '  - { name: users, sync_mode: incremental, destination_sync_mode: append_dedup, cursor_field: [updated_at], primary_key: [[id]] }');
    const child = spawn(process.execPath, [cliPath, 'sync', file], {
      cwd: dir, env: { ...process.env, AIRDOCK_HOME: join(dir, '.airdock'), AIRDOCK_STATE_FLUSH_MS: '200' }, stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    const deadline = Date.now() + 60_000;
    let loaded = 0;
    while (Date.now() < deadline) {
      loaded = await count("SELECT count(*) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'killed' AND c.relname = 'users'")
        ? await count('SELECT count(*) AS n FROM killed.users') : 0;
      if (loaded >= 40_000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Every process of this sync at once (airdock, faker, the destination mid-COPY): found by their
    // job dir, which carries the connection name, and killed by id.
    const connectors = execFileSync('pgrep', ['-f', `airdock-job-${name}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
    expect(connectors.length).toBeGreaterThanOrEqual(2);
    for (const pid of [child.pid!, ...connectors]) process.kill(pid, 'SIGKILL');
    await exited;
    expect(loaded).toBeGreaterThan(0);
    const afterKill = await count('SELECT count(*) AS n FROM killed.users');
    expect(afterKill).toBeLessThan(total);
    expect(await count('SELECT count(*) - count(DISTINCT id) AS n FROM killed.users')).toBe(0);
    const rerun = await runSyncCli(file, dir, { timeoutMs: 170_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await count('SELECT count(*) AS n FROM killed.users')).toBe(total);
    expect(await count('SELECT count(DISTINCT id) AS n FROM killed.users')).toBe(total);
    expect(await count('SELECT min(id) AS n FROM killed.users')).toBe(1);
    expect(await count('SELECT max(id) AS n FROM killed.users')).toBe(total);
  });
});
