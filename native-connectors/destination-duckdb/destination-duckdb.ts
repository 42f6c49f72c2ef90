import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConfigValidationError, type AirbyteRecordMessage } from '../../protocol/index.js';
import { defineDestination, writeWithBarrier } from '../sdk/index.js';
import { spec } from './spec.js';
import { StreamTable } from './stream-table.js';

interface DuckDbConfig { destination_path: string; schema?: string; motherduck_api_key?: string }

/** Commit at most this often; STATEs that arrive between commits are echoed after the next one. */
const FLUSH_RECORDS = 200_000;
const FLUSH_MS = 1_000;

function assertLocal(config: DuckDbConfig): void {
  const p = config.destination_path;
  if (p.startsWith('md:') || p.startsWith('motherduck:') || config.motherduck_api_key) {
    throw new ConfigValidationError([{ path: '/destination_path', message: 'MotherDuck is not supported by native:destination-duckdb; use the airbyte/destination-duckdb image or a local file path' }]);
  }
}

async function openDb(config: DuckDbConfig) {
  assertLocal(config);
  // Relative paths are relative to the working directory (the image variant mounts /local).
  const path = config.destination_path;
  await mkdir(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path);
  return { instance, conn: await instance.connect() };
}

/**
 * Drop-in for Airbyte's destination-duckdb (v0.6 final tables): typed columns plus the Airbyte meta
 * columns; append, overwrite (side table swapped in at the end) and append_dedup (latest cursor wins).
 * A STATE is echoed only after every record before it has been committed.
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
    const tables = new Map<string, StreamTable>();
    try {
      for (const s of catalog.streams) tables.set(s.stream.name, await StreamTable.open(conn, schema, s));
      await writeWithBarrier(input, emit, {
        write({ message }) {
          const r = message.record as AirbyteRecordMessage;
          tables.get(r.stream)?.append(r.data as Record<string, unknown>, r.emitted_at, r.meta?.changes);
        },
        async commit(final) {
          // The Appender commits what it flushes; the end of the sync swaps and deduplicates.
          for (const t of tables.values()) t.flush();
          if (final) for (const t of tables.values()) await t.finish();
        },
      }, { maxRecords: FLUSH_RECORDS, maxDelayMs: FLUSH_MS });
      let total = 0;
      for (const t of tables.values()) {
        const r = await conn.runAndReadAll(`SELECT count(*) FROM "${schema.replace(/"/g, '""')}"."${t.final.replace(/"/g, '""')}"`);
        total += Number(r.getRows()[0]?.[0] ?? 0);
      }
      await emit.log('INFO', `DuckDB tables hold ${total} rows across ${tables.size} streams`);
    } finally {
      for (const t of tables.values()) t.close();
      conn.closeSync();
      instance.closeSync();
    }
  },
});
