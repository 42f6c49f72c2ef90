import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfigValidationError, DestinationWriteError, isAirdockError } from '../../protocol/index.js';
import { defineDestination, writeWithBarrier } from '../sdk/index.js';
import { createOwnedTempDir } from '../sdk/owned-temp-dir.js';
import { DuckdbStream, removeBatch, type StagedBatch } from './duckdb-stream.js';
import { eagerBatchRecords } from './eager-batch-records.js';
import { loadDuckdb } from './load-duckdb.js';
import { spec } from './spec.js';

interface DuckDbConfig { destination_path: string; schema?: string; motherduck_api_key?: string }

/**
 * How often a batch is typed into the tables (one transaction each): after 1 s for the first batch,
 * then at most every 5 s, 1M records or 128 MiB of input: a STATE waits up to 5 s, plus the load of
 * its batch, for its echo.
 * Each commit costs DuckDB more than its rows: 400k faker records used 2.0-2.1 CPU-s in the
 * destination as one batch against 2.2-2.5 in batches of 1 s (1M records: 4.4 against 5.2). The
 * early first commit keeps a short sync's or a soon-failing sync's progress (a full disk), and the
 * byte bound keeps the staged files and DuckDB's memory for an uncommitted batch in check.
 */
const BATCH_RECORDS = 1_000_000;
const BATCH_BYTES = 128 * 1024 * 1024;
const FIRST_BATCH_MS = 1_000;
const BATCH_MS = 5_000;

/**
 * DuckDB checkpoints at a COMMIT whose write-ahead log would pass this size (16 MiB by default), and
 * then writes the rows straight into the file, without the log. Set to zero for the last commit only:
 * earlier small commits (a slow source's batches every 5 s) keep the log, since each checkpoint also
 * rewrites the last, partly filled row group.
 */
const FINAL_CHECKPOINT = "SET checkpoint_threshold = '0 bytes'";

function assertLocal(config: DuckDbConfig): void {
  const p = config.destination_path;
  if (p.startsWith('md:') || p.startsWith('motherduck:') || config.motherduck_api_key) {
    throw new ConfigValidationError([{ path: '/destination_path', message: 'MotherDuck is not supported by native:destination-duckdb; use the airbyte/destination-duckdb image or a local file path' }]);
  }
}

/**
 * Half the cores for DuckDB (at least one): the source and this process's own thread need the rest
 * while a batch loads. On 2 cores DuckDB's default (one thread per core) spent 0.5 s more CPU per 400k
 * faker records, spinning for work against the source and the staging thread, for no gain in wall time.
 */
function duckdbThreads(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

async function openDb(config: DuckDbConfig) {
  assertLocal(config);
  // Relative paths are relative to the working directory (the image variant mounts /local).
  const path = config.destination_path;
  await mkdir(dirname(path), { recursive: true });
  const instance = await loadDuckdb().DuckDBInstance.create(path, { threads: String(duckdbThreads()) });
  const conn = await instance.connect();
  // Timestamps without an offset are UTC, as the Airbyte destinations read them.
  await conn.run("SET TimeZone = 'UTC'");
  // DuckDB tries every compression method on each column segment it writes. Its dictionary method,
  // tried on every string column, was ~15 % of DuckDB's work for faker records (400k: 0.86-0.97
  // against 1.00-1.17 CPU-s) for files 7-10 % smaller than FSST alone writes (29-30 against 31-33 MB).
  await conn.run("SET disabled_compression_methods = 'dictionary'");
  return { instance, conn };
}

/**
 * Drop-in for Airbyte's destination-duckdb (v0.6 final tables): typed columns plus the Airbyte meta
 * columns; append, overwrite (a side table swapped in at the end) and append_dedup (latest cursor
 * wins, CDC deletes applied), with schema evolution. RECORD lines are staged as JSON lines and typed
 * by DuckDB's vectorised JSON reader in one transaction per batch (the shared SQL-destination module
 * plans the types and statements); a STATE is echoed only after its batch is committed.
 */
export const destinationDuckdb = defineDestination<DuckDbConfig>({
  spec,
  async check(config) {
    const { instance, conn } = await openDb(config);
    try {
      await conn.run('SELECT 1');
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  },
  async write(config, catalog, input, { emit }) {
    const { instance, conn } = await openDb(config);
    const schema = config.schema || 'main';
    const stagingDir = createOwnedTempDir('airdock-duckdb-stage-');
    const streams = new Map<string, DuckdbStream>();
    try {
      await run(async () => {
        let i = 0;
        for (const s of catalog.streams) streams.set(s.stream.name, await DuckdbStream.open(conn, schema, s, stagingDir, i++));
      });
      await writeWithBarrier(input, emit, {
        write({ raw, record }) {
          streams.get(record!.stream)?.append(raw);
        },
        writeRun(run) {
          streams.get(run.stream)?.appendLines(run.bytes, run.count);
        },
        commit(final, ends) {
          // Sealed now, loaded while the next batch is staged (overlap): DuckDB works in its own threads.
          const batches = [...streams.values()].map((s) => s.seal()).filter((b): b is StagedBatch => b !== undefined);
          const finishing = final ? [...streams.values()].map((s) => ({ stream: s, complete: ends.complete(s.name, s.namespace) })) : [];
          return run(async () => {
            await commitBatch(conn, batches, finishing, final);
            for (const f of finishing) {
              if (!f.complete && f.stream.replaces) await emit.log('WARN', `The source did not finish stream ${f.stream.name}: kept the previous data of stream ${f.stream.name} (overwrite not applied)`);
            }
          });
        },
      }, { maxRecords: BATCH_RECORDS, maxBytes: BATCH_BYTES, firstDelayMs: FIRST_BATCH_MS, maxDelayMs: BATCH_MS, overlap: true, eagerRecords: eagerBatchRecords([...streams.values()].map((s) => s.plan)) });
      let total = 0;
      for (const s of streams.values()) {
        const r = await conn.runAndReadAll(`SELECT count(*) FROM "${schema.replace(/"/g, '""')}"."${s.final.replace(/"/g, '""')}"`);
        total += Number(r.getRows()[0]?.[0] ?? 0);
      }
      await emit.log('INFO', `DuckDB tables hold ${total} rows across ${streams.size} streams`);
    } finally {
      for (const s of streams.values()) s.close();
      conn.closeSync();
      instance.closeSync();
      rmSync(stagingDir, { recursive: true, force: true });
    }
  },
});

/**
 * One transaction: every stream's staged rows into its table (and, at the end, the swaps of the
 * streams whose source finished). A stream
 * whose batch holds a value that does not fit fails the fast typed read; the transaction is rolled
 * back and run again with that stream typed value by value (DuckDB has no savepoints).
 */
async function commitBatch(conn: DuckDBConnection, batches: StagedBatch[], finishing: { stream: DuckdbStream; complete: boolean }[], final: boolean): Promise<void> {
  const checked = new Set<StagedBatch>();
  for (;;) {
    let failed: StagedBatch | undefined;
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const b of batches) {
        failed = b;
        for (const sql of b.stream.loadStatements(b, checked.has(b))) await conn.run(sql);
        failed = undefined;
      }
      for (const f of finishing) for (const sql of f.stream.finishStatements(f.complete)) await conn.run(sql);
      // The sync's last commit stores its rows in the database file itself (a checkpoint) rather than
      // in the write-ahead log that closing the database would then copy into the file: the rows of the
      // last batch are written once, not twice, on the sync's critical path (see bench/RESULTS.md).
      if (final) await conn.run(FINAL_CHECKPOINT);
      await conn.run('COMMIT');
      for (const b of batches) removeBatch(b);
      return;
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => {});
      if (!failed || checked.has(failed) || !isConversionError(error)) throw error;
      checked.add(failed);
    }
  }
}

function isConversionError(error: unknown): boolean {
  return /JSON transform error|Conversion Error|Could not convert|airdock: not a boolean|Invalid Input Error/i.test(String((error as Error)?.message ?? error));
}

/** DuckDB reports OS failures in its message; give them the OS code and a hint. */
async function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    if (isAirdockError(cause)) throw cause;
    const message = String((cause as Error)?.message ?? cause);
    const osCode = /No space left on device/i.test(message) ? 'ENOSPC'
      : /Permission denied/i.test(message) ? 'EACCES'
      : /Read-only file system/i.test(message) ? 'EROFS' : undefined;
    if (osCode) throw new DestinationWriteError('DuckDB cannot write the database file', { cause, context: { osCode } });
    throw cause;
  }
}
