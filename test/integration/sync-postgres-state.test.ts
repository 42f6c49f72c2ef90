import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresStateStore } from '../../runtime/state/postgres-state-store.js';
import { stateStoreContract } from '../support/state-store-contract.js';
import { makeConnection, runSyncCli, cursors } from '../support/sync-harness.js';

// PostgreSQL 15 from scripts/ci-setup.sh (PG* variables). No skip: without the service this fails.
const url = process.env.STATE_DB_URL ?? `postgres://${process.env.PGUSER ?? 'postgres'}:${process.env.PGPASSWORD ?? 'postgres'}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/${process.env.PGDATABASE ?? 'postgres'}`;
const table = `airdock_state_test_${process.pid}`;
let n = 0;

describe('PostgresStateStore', () => {
  stateStoreContract(async () => new PostgresStateStore({ url, table }), () => `c${++n}`);

  it('creates its table when missing and stores one row per connection', async () => {
    const t = `${table}_fresh`;
    await using store = new PostgresStateStore({ url, table: t });
    await store.save('one', []);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const r = await client.query(`SELECT connection_name, state FROM ${t}`);
      expect(r.rows).toEqual([{ connection_name: 'one', state: '[]' }]);
      await client.query(`DROP TABLE ${t}`);
    } finally {
      await client.end();
    }
  });

  it('reports an unreachable database as a state commit error', async () => {
    await using store = new PostgresStateStore({ url: 'postgres://nobody:x@127.0.0.1:1/none', table });
    await expect(store.load('x')).rejects.toMatchObject({ code: 'AIRDOCK_STATE_COMMIT' });
  });

  it('airdock sync with state: {backend: postgres} commits acknowledged state there and resumes from it', async () => {
    const c = makeConnection({ count: 12, state_every: 5 }, { crash_after_acks: 2, once_file: 'ONCE' }, { state: { backend: 'postgres', url: '${STATE_DB_URL}', table } });
    const first = await runSyncCli(c.file, c.dir, { env: { STATE_DB_URL: url } });
    expect(first.code).toBe(1);
    await using store = new PostgresStateStore({ url, table });
    expect(cursors(await store.load(c.name))).toEqual({ a: 10 });
    const second = await runSyncCli(c.file, c.dir, { env: { STATE_DB_URL: url } });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('starting with cursors {"a":10}');
    expect(cursors(await store.load(c.name))).toEqual({ a: 12, b: 12 });
  });

  it('two syncs of one connection: the second fails naming the first; after a kill -9 the server frees the lock', async () => {
    const c = makeConnection({ streams: ['a'], count: 60, state_every: 5, delay_every: 1, delay_ms: 30 }, {}, { state: { backend: 'postgres', url: '${STATE_DB_URL}', table } });
    const env = { STATE_DB_URL: url };
    let second: Promise<Awaited<ReturnType<typeof runSyncCli>>> | undefined;
    const first = await runSyncCli(c.file, c.dir, {
      env,
      onStart: (pid, stderr) => {
        const t = setInterval(() => {
          if (!stderr().includes('reading a')) return;
          clearInterval(t);
          second = runSyncCli(c.file, c.dir, { env }).finally(() => process.kill(pid, 'SIGKILL'));
        }, 20);
      },
    });
    const two = await second!;
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(/AIRDOCK_STATE_LOCKED: Another airdock run holds this connection \(connection="[^"]+", table="[^"]+", purpose="sync", pid=\d+, host="[^"]+", since="/);
    expect(first.code).toBe(null);
    const third = await runSyncCli(c.file, c.dir, { env });
    expect(third.code, third.stderr).toBe(0);
    expect(third.summary).toMatchObject({ status: 'succeeded' });
  });
});
