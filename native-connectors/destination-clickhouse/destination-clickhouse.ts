import type { AirbyteRecordMessage } from '../../protocol/index.js';
import { chCommand, chRows, openClickHouse, type OpenedClickHouse } from '../sdk/clickhouse/open-clickhouse.js';
import { toServiceError } from '../sdk/clickhouse/to-service-error.js';
import { defineDestination, writeWithBarrier } from '../sdk/index.js';
import { ServiceSettingError } from '../../protocol/index.js';
import { quoteIdent } from '../sdk/clickhouse/quote-ident.js';
import { clickhouseName } from './clickhouse-name.js';
import { resolveConfig, type ClickHouseDestinationConfig, type ResolvedDestinationConfig } from './destination-config.js';
import { spec } from './spec.js';
import { StreamTable } from './stream-table.js';

function open(cfg: ResolvedDestinationConfig): OpenedClickHouse {
  const c = cfg.config;
  // Every statement names its database, which may not exist yet: the session stays in `default`.
  return openClickHouse({ ...c, database: 'default' }, { application: 'airdock-destination-clickhouse', compression: c.compression ?? 'gzip', settings: cfg.settings });
}

/**
 * Unknown settings fail here with their names, before any data moves (a server would fail the first
 * query with UNKNOWN_SETTING naming only one of them).
 */
async function checkSettings(ch: OpenedClickHouse, cfg: ResolvedDestinationConfig, signal: AbortSignal): Promise<void> {
  const names = Object.keys({ ...cfg.settings, ...cfg.insertSettings });
  if (names.length === 0) return;
  // The client sends the settings with this query too, so it must not carry them: ask with a bare client.
  const bare = openClickHouse({ ...cfg.config, database: 'system' }, { application: 'airdock-destination-clickhouse', compression: 'none' });
  try {
    const known = await chRows<{ name: string }>(bare, 'SELECT name FROM system.settings WHERE name IN {names:Array(String)}', { password: cfg.config.password, doing: 'check settings', params: { names }, signal });
    const unknown = names.filter((n) => !known.some((k) => k.name === n) && !n.startsWith('custom_'));
    if (unknown.length > 0) {
      throw new ServiceSettingError('ClickHouse does not know some settings from the config', { context: { service: 'clickhouse', setting: unknown.join(', ') } });
    }
  } finally {
    await bare.close();
  }
}

/**
 * Drop-in for airbyte/destination-clickhouse 2.x: the same config and the same tables (see StreamTable),
 * loaded by streaming INSERTs (JSONCompactEachRow, gzip by default) sized by rows and bytes. The SDK's
 * write barrier echoes a STATE only once every insert holding the records before it is acknowledged.
 */
export const destinationClickhouse = defineDestination<ClickHouseDestinationConfig>({
  spec,
  async check(config, { signal }) {
    const cfg = resolveConfig(config);
    await using ch = open(cfg);
    await checkSettings(ch, cfg, signal);
    // As the official checker does: the user can create a table in the database, insert and drop it.
    const db = quoteIdent(clickhouseName(cfg.database));
    const table = `${db}.${quoteIdent(`_airbyte_check_${process.pid}_${Date.now()}`)}`;
    const o = { password: config.password, doing: 'check', signal };
    await chCommand(ch, `CREATE DATABASE IF NOT EXISTS ${db}`, o);
    await chCommand(ch, `CREATE TABLE ${table} (id UInt8) ENGINE = MergeTree ORDER BY id`, o);
    try {
      await chCommand(ch, `INSERT INTO ${table} VALUES (1)`, o);
    } finally {
      await chCommand(ch, `DROP TABLE IF EXISTS ${table}`, o);
    }
  },
  async write(config, catalog, input, { emit, signal }) {
    const cfg = resolveConfig(config);
    await using ch = open(cfg);
    await checkSettings(ch, cfg, signal);
    const tables = new Map<string, StreamTable>();
    for (const s of catalog.streams) tables.set(key(s.stream.name, s.stream.namespace), await StreamTable.open(ch, cfg, s, signal));
    try {
      await writeWithBarrier(input, emit, {
        write({ message }) {
          const r = message.record as AirbyteRecordMessage;
          return tables.get(key(r.stream, r.namespace))?.append(r);
        },
        async commit(final, ends) {
          // Sealing takes every open insert synchronously (as `overlap` requires): records read while the
          // server acknowledges these go to new inserts.
          await Promise.all([...tables.values()].map((t) => t.seal()));
          // A stream is finished (overwrite swapped in, old generations dropped) unless the input said it
          // did not complete (see StreamEnds). Without a status, the end of the input ends it.
          if (final) {
            for (const t of tables.values()) {
              await t.finish(ends.complete(t.stream.stream.name, t.stream.stream.namespace));
            }
          }
        },
        // Batches are bounded by the tables (rows, bytes, age of an insert); the barrier commits for STATEs.
      }, { maxRecords: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER, maxDelayMs: cfg.flushIntervalMs, overlap: true });
      const rows = [...tables.values()].reduce((n, t) => n + t.rowsWritten, 0);
      await emit.log('INFO', `ClickHouse: ${rows} rows inserted into ${tables.size} tables`);
    } catch (error) {
      if (signal.aborted) throw error;
      throw toServiceError(error, { password: config.password, doing: 'write' });
    }
  },
});

const key = (name: string, namespace: string | null | undefined) => (namespace == null ? name : `${namespace}\u0000${name}`);
