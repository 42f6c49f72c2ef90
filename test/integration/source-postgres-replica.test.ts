import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogOf, configured, createTestDatabase, recordsOf, runSource, type TestDatabase } from '../support/postgres-source.js';
import { postgresEnv, requireEnv } from '../support/services.js';

let db: TestDatabase;
let replica: { host: string; port: number };

/** Waits until the standby has replayed everything the primary has written so far. */
async function caughtUp(): Promise<void> {
  const env = postgresEnv();
  // The replay position is the cluster's: ask in `postgres`, since the test database itself may not
  // have reached the standby yet (its CREATE DATABASE is what we wait for).
  const standby = new pg.Client({ ...env, ...replica, database: 'postgres' });
  await standby.connect();
  try {
    const target = (await db.sql.query('SELECT pg_current_wal_lsn()::text AS l')).rows[0].l as string;
    for (let i = 0; i < 1200; i++) {
      const r = await standby.query(`SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok`, [target]);
      if (r.rows[0].ok) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('the read replica did not catch up within 60 s (scripts/setup/postgres-replica.sh status)');
  } finally {
    await standby.end();
  }
}

beforeAll(async () => {
  replica = { host: requireEnv('AIRDOCK_TEST_PG_REPLICA_HOST'), port: Number(requireEnv('AIRDOCK_TEST_PG_REPLICA_PORT')) };
  db = await createTestDatabase('pgrep');
  await db.sql.query(`CREATE TABLE events (id bigint PRIMARY KEY, body text NOT NULL);
    INSERT INTO events SELECT g, 'event ' || g FROM generate_series(1, 20000) g;
    CREATE PUBLICATION ${db.name}_pub FOR TABLE events;`);
  await db.sql.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [`${db.name}_slot`]);
  await caughtUp();
}, 60_000);

afterAll(async () => { await db?.[Symbol.asyncDispose](); });

describe('native:source-postgres with read_replica (streaming standby, pg_basebackup -R)', () => {
  it('check says table reads use the replica, and that CDC still reads the primary', async () => {
    const r = await runSource('check', { config: db.config({ read_replica: replica }) });
    expect(r.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus).toEqual({ status: 'SUCCEEDED', message: 'Table reads use the read replica' });
    const cdc = await runSource('check', { config: db.config({ read_replica: replica, replication_method: { method: 'CDC', replication_slot: `${db.name}_slot`, publication: `${db.name}_pub` } }) });
    expect(cdc.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!.message).toMatch(/CDC changes always come from the replication slot on the primary/);
  });

  it('reads tables from the standby in parallel (the primary is not needed for a full refresh)', async () => {
    const cat = catalogOf(await runSource('discover', { config: db.config() }));
    // An unreachable primary proves where the rows come from.
    const r = await runSource('read', { config: db.config({ port: 1, read_replica: replica, parallel_reads: 2, fetch_size: 2000 }), catalog: configured(cat, { events: { sync_mode: 'full_refresh' } }) });
    expect(r.exitCode).toBe(0);
    const ids = recordsOf(r).map((d) => d.id as number);
    expect(ids).toHaveLength(20000);
    expect(new Set(ids).size).toBe(20000);
  });

  it('CDC: snapshot from the standby, changes from the primary slot', async () => {
    const config = db.config({ read_replica: replica, replication_method: { method: 'CDC', replication_slot: `${db.name}_slot`, publication: `${db.name}_pub` } });
    const catalog = configured(catalogOf(await runSource('discover', { config })), { events: { sync_mode: 'incremental' } });
    const first = await runSource('read', { config, catalog });
    expect(first.exitCode).toBe(0);
    expect(recordsOf(first)).toHaveLength(20000);
    await db.sql.query(`INSERT INTO events VALUES (20001, 'late')`);
    const state = first.messages.filter((m) => m.type === 'STATE').at(-1)!.state;
    const second = await runSource('read', { config, catalog, state: [state] });
    expect(recordsOf(second).map((d) => d.id)).toEqual([20001]);
  });
});
