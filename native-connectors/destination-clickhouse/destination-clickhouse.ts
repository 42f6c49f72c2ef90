import type { AirbyteRecordMessage, AirbyteTraceMessage } from '../../protocol/index.js';
import { chCommand, chRows, openClickHouse, type OpenedClickHouse } from '../sdk/clickhouse/open-clickhouse.js';
import { toServiceError } from '../sdk/clickhouse/to-service-error.js';
import { defineDestination, type Emitter } from '../sdk/index.js';
import { ServiceSettingError } from '../../protocol/index.js';
import { clickhouseName, quoteIdent } from './clickhouse-name.js';
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
 * loaded by streaming INSERTs (JSONCompactEachRow, gzip by default) sized by rows and bytes. A STATE is
 * echoed only once every insert holding the records before it has been acknowledged by the server.
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
    const barrier = new StateBarrier(tables, emit, cfg.flushIntervalMs);
    const statuses = new Map<string, string>();
    try {
      for await (const { message, raw } of input) {
        if (message.type === 'RECORD') {
          const r = message.record as AirbyteRecordMessage;
          const t = tables.get(key(r.stream, r.namespace));
          if (!t) continue;
          const wait = t.append(r);
          if (wait) await wait;
        } else if (message.type === 'STATE') {
          // raw is a view into the reader's chunk; copy it, as it is kept past this iteration.
          const wait = barrier.add(Buffer.from(raw));
          if (wait) await wait;
        } else if (message.type === 'TRACE') {
          const st = (message.trace as AirbyteTraceMessage).stream_status;
          if (st) statuses.set(key(st.stream_descriptor.name, st.stream_descriptor.namespace), st.status);
        }
      }
      await barrier.flush();
      // A stream is finished (overwrite swapped in, old generations dropped) unless the input said it did not
      // complete (a status other than COMPLETE last). Without a status, the end of the input ends the stream.
      for (const [k, t] of tables) {
        const status = statuses.get(k);
        await t.finish(status === undefined || status === 'COMPLETE');
      }
      await barrier.flush();
      const rows = [...tables.values()].reduce((n, t) => n + t.rowsWritten, 0);
      await emit.log('INFO', `ClickHouse: ${rows} rows inserted into ${tables.size} tables`);
    } catch (error) {
      if (signal.aborted) throw error;
      throw toServiceError(error, { password: config.password, doing: 'write' });
    } finally {
      barrier.close();
    }
  },
});

const key = (name: string, namespace: string | null | undefined) => (namespace == null ? name : `${namespace}\u0000${name}`);

/**
 * Holds STATE messages until the inserts carrying the records before them are acknowledged. A STATE
 * triggers a flush when the last one is at least `intervalMs` old; otherwise a timer does it, so a
 * quiet source still gets its acknowledgement. Flushes run in order and states are echoed in order.
 */
class StateBarrier {
  #pending: Buffer[] = [];
  #chain: Promise<void> = Promise.resolve();
  #lastFlush = Date.now();
  #timer: NodeJS.Timeout | undefined;
  /** A failed flush poisons every later one: their states would cover records that were never written. */
  #error: unknown;

  constructor(private readonly tables: ReadonlyMap<string, StreamTable>, private readonly emit: Emitter, private readonly intervalMs: number) {}

  add(raw: Buffer): Promise<void> | undefined {
    if (this.#error !== undefined) throw this.#error;
    this.#pending.push(raw);
    if (Date.now() - this.#lastFlush >= this.intervalMs) return this.flush();
    this.#timer ??= setTimeout(() => { this.#timer = undefined; void this.flush().catch(() => {}); }, this.intervalMs - (Date.now() - this.#lastFlush));
    return undefined;
  }

  /** Seals every open insert now (synchronously), then echoes the states taken with them once acknowledged. */
  flush(): Promise<void> {
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = undefined; }
    this.#lastFlush = Date.now();
    const states = this.#pending;
    this.#pending = [];
    const acks = [...this.tables.values()].map((t) => t.seal());
    const step = this.#chain.then(async () => {
      if (this.#error !== undefined) throw this.#error;
      try {
        await Promise.all(acks);
      } catch (error) {
        this.#error = error;
        throw error;
      }
      for (const raw of states) {
        const wait = this.emit.raw(`${raw.toString('utf8')}\n`);
        if (wait) await wait;
      }
      await this.emit.flush();
    });
    this.#chain = step.catch(() => {});
    return step;
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
