import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { makeConnection, runSyncCli } from '../support/sync-harness.js';

// An overwrite stream replaces the destination's table only when the source finished the stream.
// The runtime tells the destination how each stream ended (a STREAM_STATUS COMPLETE after a clean
// source, INCOMPLETE otherwise), and the native destinations keep the old data of an incomplete
// overwrite instead of swapping in what a failed source managed to send.
const overwrite = { streams: [
  { name: 'a', sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
  { name: 'b', sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
] };

/** A connection from the fixture source into a native destination; `rewrite` changes the source's config between runs. */
function connection(destination: { connector: string; config: (dir: string) => Record<string, unknown> }) {
  const c = makeConnection({}, {}, overwrite);
  const rewrite = (source: Record<string, unknown>) => {
    const doc = parse(readFileSync(c.file, 'utf8'));
    doc.source.config = source;
    doc.destination = { connector: destination.connector, config: destination.config(c.dir) };
    writeFileSync(c.file, stringify(doc));
  };
  return { ...c, rewrite };
}

async function duckdbCounts(file: string): Promise<Record<string, number>> {
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of ['a', 'b']) {
      const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER FROM main."${t}"`);
      out[t] = Number(r.getRows()[0]![0]);
    }
    return out;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const jsonCounts = (dir: string) => Object.fromEntries(['a', 'b'].map((s) => [s,
  readFileSync(join(dir, 'json', `_airbyte_raw_${s}.jsonl`), 'utf8').split('\n').filter(Boolean).length]));

describe('a failed source never replaces the data of an overwrite stream', () => {
  it('native:destination-local-json keeps the previous files; the next good run replaces them', async () => {
    const c = connection({ connector: 'native:destination-local-json', config: (dir) => ({ destination_path: join(dir, 'json') }) });
    c.rewrite({ count: 12, state_every: 5 });
    const first = await runSyncCli(c.file, c.dir);
    expect(first.code, first.stderr).toBe(0);
    expect(jsonCounts(c.dir)).toEqual({ a: 12, b: 12 });

    // Stream a gets 15 of 20 records, b none: the source crashes without a TRACE.
    c.rewrite({ count: 20, state_every: 5, crash_after: 15 });
    const failed = await runSyncCli(c.file, c.dir);
    expect(failed.code).toBe(1);
    expect(failed.summary).toMatchObject({ status: 'failed', failure: { origin: 'source' } });
    expect(jsonCounts(c.dir)).toEqual({ a: 12, b: 12 });
    expect(failed.stderr).toMatch(/\[destination\].*kept the previous data of stream a/);

    c.rewrite({ count: 20, state_every: 5 });
    const good = await runSyncCli(c.file, c.dir);
    expect(good.code, good.stderr).toBe(0);
    expect(jsonCounts(c.dir)).toEqual({ a: 20, b: 20 });
  });

  it('native:destination-duckdb keeps the previous tables; the next good run replaces them', async () => {
    const c = connection({ connector: 'native:destination-duckdb', config: (dir) => ({ destination_path: join(dir, 'out.duckdb') }) });
    c.rewrite({ count: 12, state_every: 5 });
    const first = await runSyncCli(c.file, c.dir);
    expect(first.code, first.stderr).toBe(0);
    expect(await duckdbCounts(join(c.dir, 'out.duckdb'))).toEqual({ a: 12, b: 12 });

    c.rewrite({ count: 20, state_every: 5, crash_after: 15 });
    const failed = await runSyncCli(c.file, c.dir);
    expect(failed.code).toBe(1);
    expect(await duckdbCounts(join(c.dir, 'out.duckdb'))).toEqual({ a: 12, b: 12 });
    expect(failed.stderr).toMatch(/\[destination\].*kept the previous data of stream a/);

    c.rewrite({ count: 20, state_every: 5 });
    const good = await runSyncCli(c.file, c.dir);
    expect(good.code, good.stderr).toBe(0);
    expect(await duckdbCounts(join(c.dir, 'out.duckdb'))).toEqual({ a: 20, b: 20 });
  });
});
