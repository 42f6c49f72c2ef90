import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { makeConnection, runSyncCli } from '../support/sync-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-source.js';
import { postgresEnv } from '../support/services.js';

// The PostgreSQL side of "a failed source never replaces the data of an overwrite stream": the sync
// ends every destination stream with a STREAM_STATUS (INCOMPLETE after a failed source), and
// native:destination-postgres then keeps the old table and its generation instead of swapping in
// what the source managed to send. In a database of its own.
const env = postgresEnv();
let db: TestDatabase;

beforeAll(async () => { db = await createTestDatabase('pgow'); }, 60_000);
afterAll(async () => { await db?.[Symbol.asyncDispose](); });

const overwrite = { streams: [
  { name: 'a', sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
  { name: 'b', sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
] };

async function tables(): Promise<Record<string, { rows: number; generations: number }>> {
  const out: Record<string, { rows: number; generations: number }> = {};
  for (const t of ['a', 'b']) {
    const r = await db.sql.query(`SELECT count(*)::int AS rows, count(DISTINCT _airbyte_generation_id)::int AS generations FROM ow."${t}"`);
    out[t] = r.rows[0] as { rows: number; generations: number };
  }
  return out;
}

describe('native:destination-postgres: a failed source never replaces the data of an overwrite stream', () => {
  it('keeps the previous tables (one generation) after a source crash; the next good run replaces them', async () => {
    const c = makeConnection({}, {}, overwrite);
    const rewrite = (source: Record<string, unknown>) => {
      const doc = parse(readFileSync(c.file, 'utf8'));
      doc.source.config = source;
      doc.destination = { connector: 'native:destination-postgres', config: { host: env.host, port: env.port, database: db.name, schema: 'ow', username: env.user, password: env.password } };
      writeFileSync(c.file, stringify(doc));
    };
    rewrite({ count: 12, state_every: 5 });
    const first = await runSyncCli(c.file, c.dir);
    expect(first.code, first.stderr).toBe(0);
    expect(await tables()).toEqual({ a: { rows: 12, generations: 1 }, b: { rows: 12, generations: 1 } });

    // Stream a gets 15 of 20 records, b none: the source crashes without a TRACE.
    rewrite({ count: 20, state_every: 5, crash_after: 15 });
    const failed = await runSyncCli(c.file, c.dir);
    expect(failed.code).toBe(1);
    expect(failed.summary).toMatchObject({ status: 'failed', failure: { origin: 'source' } });
    expect(await tables()).toEqual({ a: { rows: 12, generations: 1 }, b: { rows: 12, generations: 1 } });
    expect(failed.stderr).toMatch(/\[destination\].*kept the previous data of stream a/);

    rewrite({ count: 20, state_every: 5 });
    // Started at once, in the same second as the failed sync: it still gets a generation of its own,
    // so the failed attempt's side table is not taken for its own (which loaded 35 rows, not 20).
    const good = await runSyncCli(c.file, c.dir);
    expect(good.code, good.stderr).toBe(0);
    expect(await tables()).toEqual({ a: { rows: 20, generations: 1 }, b: { rows: 20, generations: 1 } });
  });
});
