import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../support/sync-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-source.js';

/** Every temp dir of this file (configs, catalogs, state) lives in here, removed at the end. */
const tmp = mkdtempSync(join(tmpdir(), 'airdock-e2e-p2p-'));

// e2e: `airdock sync` with the bare names source-postgres → destination-postgres (both native), between
// two databases of their own, in every sync mode, and CDC deletes carried from the source's WAL. The
// streams go to the destination's configured schema (namespace definition: destination).
let src: TestDatabase;
let dst: TestDatabase;

beforeAll(async () => {
  src = await createTestDatabase('p2p_src');
  dst = await createTestDatabase('p2p_dst');
  await src.sql.query(`
    CREATE TABLE events (id bigint PRIMARY KEY, name text, amount numeric(12,2), tags text[], payload jsonb, at timestamptz NOT NULL);
    INSERT INTO events SELECT g, 'event ' || g, g * 1.5, ARRAY['a', 'b'], jsonb_build_object('n', g), timestamptz '2024-01-01' + g * interval '1 minute'
    FROM generate_series(1, 500) g;
    CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2), note text);
    INSERT INTO orders SELECT g, g, 'order ' || g FROM generate_series(1, 50) g;
    CREATE PUBLICATION ${src.name}_pub FOR TABLE orders;`);
  await src.sql.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [`${src.name}_slot`]);
}, 60_000);

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await src?.[Symbol.asyncDispose]();
  await dst?.[Symbol.asyncDispose]();
});

function connection(name: string, source: Record<string, unknown>, destination: Record<string, unknown>, streams: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmp, 'airdock-e2e-p2p-'));
  const file = join(dir, `${name}.yaml`);
  const d = dst.config();
  // The official destination-postgres config: the source's connection fields under its own names.
  const destConfig = { host: d.host, port: d.port, database: d.database, username: d.username, password: d.password, ssl_mode: { mode: 'disable' }, tunnel_method: { tunnel_method: 'NO_TUNNEL' }, ...destination };
  writeFileSync(file, `name: ${name}
source: { connector: source-postgres, config: ${JSON.stringify(src.config(source))} }
destination: { connector: destination-postgres, config: ${JSON.stringify(destConfig)} }
streams:
${streams}
namespace: { definition: destination }
retry: { attempts: 1 }
`);
  return { dir, file };
}

const rows = async (sql: string) => (await dst.sql.query(sql)).rows;
const sync = async (c: { dir: string; file: string }) => {
  const r = await runSyncCli(c.file, c.dir, { timeoutMs: 120_000, env: { AIRDOCK_OFFLINE: '1' } });
  expect(r.code, r.stderr).toBe(0);
  return r;
};

describe('e2e: source-postgres → destination-postgres between two databases', () => {
  it('append, overwrite and append_dedup of one table, twice, with an update and a new row in between', async () => {
    const base = { name: 'events', namespace: 'public' };
    const c = (schema: string, mode: string) => connection(`p2p-${schema}-${process.pid}`, {}, { schema }, `  - ${JSON.stringify({ ...base, ...(mode === 'append_dedup'
      ? { sync_mode: 'incremental', cursor_field: ['at'], primary_key: [['id']] }
      : { sync_mode: 'full_refresh' }), destination_sync_mode: mode })}`);
    const append = c('p2p_append', 'append');
    const overwrite = c('p2p_overwrite', 'overwrite');
    const dedup = c('p2p_dedup', 'append_dedup');
    for (const x of [append, overwrite, dedup]) await sync(x);
    await src.sql.query(`UPDATE events SET name = 'renamed', at = timestamptz '2030-01-01' WHERE id = 7; INSERT INTO events VALUES (501, 'late', 1, '{}', '{}', timestamptz '2030-01-02')`);
    for (const x of [append, overwrite, dedup]) await sync(x);

    const summary = async (schema: string) => (await rows(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, max(CASE WHEN id = 7 THEN name END) AS seven FROM public.events`.replace('public', schema)))[0];
    expect(await summary('p2p_append')).toEqual({ n: 1001, ids: 501, seven: 'renamed' });
    expect(await summary('p2p_overwrite')).toEqual({ n: 501, ids: 501, seven: 'renamed' });
    expect(await summary('p2p_dedup')).toEqual({ n: 501, ids: 501, seven: 'renamed' });
    const typed = await rows(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'p2p_dedup' AND table_name = 'events'`);
    expect(Object.fromEntries(typed.map((t) => [t.column_name, t.data_type]))).toMatchObject({
      // The official source-postgres discovers json/jsonb as strings, so the JSON text lands in a varchar.
      id: 'bigint', name: 'character varying', amount: 'numeric', tags: 'jsonb', payload: 'character varying', at: 'timestamp with time zone',
    });
    expect(await rows(`SELECT amount::text, tags, payload FROM p2p_dedup.events WHERE id = 3`)).toEqual([{ amount: '4.5', tags: ['a', 'b'], payload: '{"n": 3}' }]);
  });

  it('CDC into append_dedup: inserts, updates and deletes from the WAL; a deleted key is gone (cdc_deletion_mode hard, the default)', async () => {
    const cdc = { replication_method: { method: 'CDC', replication_slot: `${src.name}_slot`, publication: `${src.name}_pub`, initial_waiting_seconds: 120 } };
    const stream = '  - { name: orders, namespace: public, sync_mode: incremental, destination_sync_mode: append_dedup, primary_key: [[id]] }';
    const hard = connection(`p2p-cdc-${process.pid}`, cdc, { schema: 'p2p_cdc' }, stream);
    await sync(hard);
    expect((await rows('SELECT count(*)::int AS n FROM p2p_cdc.orders'))[0]).toEqual({ n: 50 });
    await src.sql.query(`BEGIN; DELETE FROM orders WHERE id IN (2, 3); UPDATE orders SET note = 'changed' WHERE id = 4; INSERT INTO orders VALUES (51, 51, 'new'); COMMIT;`);
    const second = await sync(hard);
    expect(second.summary.recordsEmitted).toBe(4);
    expect(await rows('SELECT count(*)::int AS n, count(*) FILTER (WHERE id IN (2, 3))::int AS deleted, max(CASE WHEN id = 4 THEN note END) AS four, max(CASE WHEN id = 51 THEN note END) AS new FROM p2p_cdc.orders'))
      .toEqual([{ n: 49, deleted: 0, four: 'changed', new: 'new' }]);
  });
});
