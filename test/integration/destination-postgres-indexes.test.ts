import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationPostgres } from '../../native-connectors/destination-postgres/destination-postgres.js';
import { runConnector } from '../../native-connectors/sdk/index.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-source.js';
import { repoRoot } from '../support/repo-paths.js';
import { postgresEnv } from '../support/services.js';

// When native:destination-postgres builds the official indexes: a table that is empty when the sync
// starts is loaded without those the load does not need, and they are built in the sync's last
// transaction; a table that holds rows gets every missing one before the load.
const tmp = mkdtempSync(join(tmpdir(), 'airdock-pgdest-idx-'));
const env = postgresEnv();
let database: TestDatabase;
let db: pg.Client;
let DB: string;
const config = (schema: string, extra: Record<string, unknown> = {}) =>
  ({ host: env.host, port: env.port, database: DB, schema, username: env.user, password: env.password, ...extra });

beforeAll(async () => {
  database = await createTestDatabase('pgdest_idx');
  db = database.sql;
  DB = database.name;
});

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await database?.[Symbol.asyncDispose]();
});

const props = { id: { type: 'integer' }, v: { type: 'string' }, upd: { type: 'integer' } };
const catalog = (name: string, mode: 'append' | 'overwrite' | 'append_dedup', gen = 1) => ({
  streams: [{
    stream: { name, json_schema: { type: 'object', properties: props }, supported_sync_modes: ['full_refresh', 'incremental'] },
    sync_mode: 'incremental', destination_sync_mode: mode, ...(mode === 'append_dedup' ? { primary_key: [['id']], cursor_field: ['upd'] } : {}),
    generation_id: gen, minimum_generation_id: mode === 'overwrite' ? gen : 0, sync_id: 3,
  }],
});
const records = (name: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => JSON.stringify({ type: 'RECORD', record: { stream: name, emitted_at: 1_700_000_000_000 + i, data: { id: from + i, v: `v${from + i}`, upd: 1 } } }));
const state = (n: number) => JSON.stringify({ type: 'STATE', state: { type: 'LEGACY', data: { n } } });

/** Index name → the columns it covers, for every index on tables of `schema` (or named `table`). */
async function indexes(schema: string, table?: string): Promise<Record<string, string>> {
  const r = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ${table ? 'AND tablename = $2' : ''} ORDER BY 1`, table ? [schema, table] : [schema]);
  return Object.fromEntries(r.rows.map((x) => [x.indexname, x.indexdef.replace(/^.*\((.*)\)$/, '$1')]));
}

/** `write` in this process fed line by line: STATEs echoed so far can be awaited mid-sync. */
function open(cfg: object, cat: object) {
  const dir = mkdtempSync(join(tmp, 'run-'));
  writeFileSync(join(dir, 'c.json'), JSON.stringify(cfg));
  writeFileSync(join(dir, 'cat.json'), JSON.stringify(cat));
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
  const done = runConnector(destinationPostgres, ['write', '--config', join(dir, 'c.json'), '--catalog', join(dir, 'cat.json')], { stdout, stdin });
  return {
    send: (lines: string[]) => { stdin.write(`${lines.join('\n')}\n`); },
    /** Resolves once `n` STATEs were echoed (their batches are committed). */
    async echoed(n: number): Promise<void> {
      for (let t = 0; (out.match(/"type":"STATE"/g)?.length ?? 0) < n; t++) {
        if (t > 1200) throw new Error(`no STATE echoed in 30 s: ${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async end(lines: string[] = []): Promise<{ code: number; out: string }> {
      stdin.end(lines.length ? `${lines.join('\n')}\n` : '');
      return { code: await done, out };
    },
  };
}

describe('native:destination-postgres official indexes', () => {
  it('a new table is loaded without the indexes the load does not need; the last transaction builds them (append, append_dedup, overwrite)', async () => {
    for (const mode of ['append', 'append_dedup', 'overwrite'] as const) {
      const schema = `new_${mode}`;
      const run = open(config(schema, { batch_size: 100 }), catalog('t', mode));
      run.send([...records('t', 1, 150), state(1)]);
      await run.echoed(1);
      // Mid-sync, a batch committed: only the primary key (the dedup merge looks keys up with it).
      const during = { ...(await indexes(schema)), ...(await indexes('airbyte_internal')) };
      expect(Object.values(during), mode).toEqual(mode === 'append_dedup' ? ['id'] : []);
      const r = await run.end([...records('t', 151, 300), state(2)]);
      expect(r.code, r.out).toBe(0);
      expect((await db.query(`SELECT count(*)::int AS n FROM ${schema}.t`)).rows).toEqual([{ n: 300 }]);
      // Overwrite's swapped-in table carries the official names too, not its temporary table's.
      expect(await indexes(schema, 't'), mode).toEqual(mode === 'append_dedup'
        ? { idx_cursor_t: 'upd', idx_extracted_at_t: '_airbyte_extracted_at', idx_pk_t: 'id' }
        : { idx_extracted_at_t: '_airbyte_extracted_at' });
    }
  });

  it('after an overwrite, append and append_dedup syncs of the stream add no second index on the same columns', async () => {
    for (const [mode, gen] of [['overwrite', 1], ['append', 1], ['append_dedup', 1], ['overwrite', 2], ['append_dedup', 2]] as const) {
      const r = await open(config('swapped'), catalog('t', mode, gen)).end([...records('t', 1, 10), state(1)]);
      expect(r.code, `${mode}: ${r.out}`).toBe(0);
      const dedup = mode === 'append_dedup';
      // The second overwrite replaces the table and its dedup indexes: only its own index is left.
      expect(await indexes('swapped', 't'), `${mode} generation ${gen}`).toEqual(dedup
        ? { idx_cursor_t: 'upd', idx_extracted_at_t: '_airbyte_extracted_at', idx_pk_t: 'id' }
        : { idx_extracted_at_t: '_airbyte_extracted_at' });
    }
  });

  it('overwrite renames its indexes to official names cut to 63 bytes, and keeps a name another relation holds', async () => {
    const long = `s${'x'.repeat(58)}`; // idx_extracted_at_<long> is cut to 63 bytes
    const cut = `idx_extracted_at_${long}`.slice(0, 63);
    for (const mode of ['overwrite', 'append'] as const) {
      expect((await open(config('cut'), catalog(long, mode)).end([...records(long, 1, 5), state(1)])).code, mode).toBe(0);
      expect(await indexes('cut', long), mode).toEqual({ [cut]: '_airbyte_extracted_at' });
    }
    // The official name is a table's: the swap keeps the temporary name instead of failing the sync.
    await db.query('CREATE SCHEMA taken; CREATE TABLE taken.idx_extracted_at_t (x int)');
    for (const mode of ['overwrite', 'append'] as const) {
      const r = await open(config('taken'), catalog('t', mode)).end([...records('t', 1, 5), state(1)]);
      expect(r.code, r.out).toBe(0);
      expect(Object.values(await indexes('taken', 't')), mode).toEqual(['_airbyte_extracted_at']);
    }
  });

  it('two tables whose index names cut to the same 63 bytes each get their index (the second under the cut name plus a hash)', async () => {
    const [a, b] = [`${'y'.repeat(50)}_a`, `${'y'.repeat(50)}_b`]; // idx_extracted_at_<name> is cut to the same 63 bytes
    const cut = `idx_extracted_at_${a}`.slice(0, 63);
    for (const name of [a, b]) expect((await open(config('clash'), catalog(name, 'append')).end([...records(name, 1, 5), state(1)])).code, name).toBe(0);
    expect(await indexes('clash', a)).toEqual({ [cut]: '_airbyte_extracted_at' });
    const second = await indexes('clash', b);
    expect(Object.values(second)).toEqual(['_airbyte_extracted_at']);
    expect(Object.keys(second)[0]).toMatch(new RegExp(`^${cut.slice(0, 54)}_[0-9a-f]{8}$`));
    // The rerun finds it by its columns: no second index.
    expect((await open(config('clash'), catalog(b, 'append')).end([...records(b, 6, 9), state(2)])).code).toBe(0);
    expect(await indexes('clash', b)).toEqual(second);
  });

  it('a table whose index has another name (left by an earlier overwrite) gets no second index on the same columns', async () => {
    expect((await open(config('healed'), catalog('t', 'append')).end([...records('t', 1, 10), state(1)])).code).toBe(0);
    await db.query('ALTER INDEX healed.idx_extracted_at_t RENAME TO idx_extracted_at_airbyte_internal_tmp_left_over');
    const r = await open(config('healed'), catalog('t', 'append_dedup')).end([...records('t', 11, 20), state(2)]);
    expect(r.code, r.out).toBe(0);
    expect(await indexes('healed', 't')).toEqual({ idx_cursor_t: 'upd', idx_extracted_at_airbyte_internal_tmp_left_over: '_airbyte_extracted_at', idx_pk_t: 'id' });
  });

  it('an append into a table that holds rows keeps its index during the load', async () => {
    const first = await open(config('kept'), catalog('t', 'append')).end([...records('t', 1, 10), state(1)]);
    expect(first.code, first.out).toBe(0);
    const run = open(config('kept', { batch_size: 100 }), catalog('t', 'append'));
    run.send([...records('t', 11, 160), state(2)]);
    await run.echoed(1);
    expect(await indexes('kept', 't')).toEqual({ idx_extracted_at_t: '_airbyte_extracted_at' });
    expect((await run.end([state(3)])).code).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n FROM kept.t')).rows).toEqual([{ n: 160 }]);
  });

  it('a kill -9 mid-load into a new table leaves it without the deferred indexes; the rerun builds them before it loads', async () => {
    const dir = mkdtempSync(join(tmp, 'kill-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(config('killed', { batch_size: 500 })));
    writeFileSync(join(dir, 'cat.json'), JSON.stringify(catalog('t', 'append_dedup')));
    const dst = spawn(process.execPath, [join(repoRoot, 'dist/native-connectors/destination-postgres/main.js'), 'write', '--config', join(dir, 'c.json'), '--catalog', join(dir, 'cat.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
    dst.stdin.on('error', () => {}); // EPIPE once killed
    const closed = new Promise((r) => dst.once('close', r));
    let echoed = 0;
    const first = new Promise<void>((resolve) => {
      dst.stdout.setEncoding('utf8').on('data', (d: string) => {
        for (const m of d.matchAll(/"n":(\d+)/g)) echoed = Math.max(echoed, Number(m[1]));
        if (echoed > 0) resolve();
      });
    });
    const batches = (from: number, to: number) => {
      const lines: string[] = [];
      for (let b = from; b < to; b++) lines.push(...records('t', b * 500 + 1, (b + 1) * 500), state((b + 1) * 500));
      return lines;
    };
    dst.stdin.write(`${batches(0, 3).join('\n')}\n`); // no end: the process waits for more input until killed
    await first;
    dst.kill('SIGKILL');
    await closed;
    expect(await indexes('killed', 't')).toEqual({ idx_pk_t: 'id' });
    // The rerun resumes after the last echoed STATE; its prepare builds the indexes on the rows there.
    const run = open(config('killed', { batch_size: 500 }), catalog('t', 'append_dedup'));
    run.send(batches(echoed / 500, 10));
    await run.echoed(1);
    expect(await indexes('killed', 't')).toEqual({ idx_cursor_t: 'upd', idx_extracted_at_t: '_airbyte_extracted_at', idx_pk_t: 'id' });
    const r = await run.end();
    expect(r.code, r.out).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS k, min(id)::int AS lo, max(id)::int AS hi FROM killed.t')).rows)
      .toEqual([{ n: 5000, k: 5000, lo: 1, hi: 5000 }]);
  });

  it('a build that fails (a lock timeout) fails the sync with AIRDOCK_DESTINATION_WRITE, echoes no STATE of its batch; the rerun builds it', async () => {
    // The table exists, empty and without its index (as a sync killed before its first commit leaves it).
    expect((await open(config('failed'), catalog('t', 'append')).end([state(0)])).code).toBe(0);
    await db.query('DROP INDEX failed.idx_extracted_at_t');
    await db.query(`ALTER DATABASE ${DB} SET lock_timeout = '300ms'`);
    const blocker = new pg.Client({ ...env, database: DB });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE failed.t IN ROW EXCLUSIVE MODE'); // COPY goes on; CREATE INDEX waits
      const r = await open(config('failed'), catalog('t', 'append')).end([...records('t', 1, 20), state(1)]);
      expect(r.code).toBe(1);
      expect(r.out).not.toContain('"type":"STATE"');
      const error = r.out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.type === 'TRACE')?.trace.error;
      expect(error).toMatchObject({ failure_type: 'system_error' });
      expect(error.message).toMatch(/^AIRDOCK_DESTINATION_WRITE: PostgreSQL could not build an index .*index="idx_extracted_at_t".*lock timeout/);
    } finally {
      await blocker.end();
      await db.query(`ALTER DATABASE ${DB} RESET lock_timeout`);
    }
    expect((await db.query('SELECT count(*)::int AS n FROM failed.t')).rows).toEqual([{ n: 0 }]);
    const r = await open(config('failed'), catalog('t', 'append')).end([...records('t', 1, 20), state(1)]);
    expect(r.code, r.out).toBe(0);
    expect(await indexes('failed', 't')).toEqual({ idx_extracted_at_t: '_airbyte_extracted_at' });
    expect((await db.query('SELECT count(*)::int AS n FROM failed.t')).rows).toEqual([{ n: 20 }]);
  });
});
