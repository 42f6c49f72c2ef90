import { createHash } from 'node:crypto';
import pg from 'pg';
import { StateCommitError, StateLockedError, stringifyJson, type AirbyteStateMessage } from '../../protocol/index.js';
import { processIdentity } from '../host/process-identity.js';
import { parseStoredState } from './parse-stored-state.js';
import type { RecordKind, StateLock, StateStore } from './state-store.js';

export interface PostgresStateStoreOptions {
  /** postgres://user:pass@host:port/db; default: the PG* environment variables. */
  url?: string;
  table?: string;
}

const TABLE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * One row per connection. The state is stored as text, not jsonb: jsonb reorders keys and would be
 * one more place where a connector's state is not exactly what it wrote. The upsert is a single
 * statement in a transaction, so a reader sees the old or the new state, never none (PyAirbyte#703).
 */
export class PostgresStateStore implements StateStore {
  readonly describe: string;
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #url: string | undefined;
  #ready: Promise<void> | undefined;
  #recordsReady: Promise<string> | undefined;

  constructor(options: PostgresStateStoreOptions = {}) {
    this.#table = options.table ?? 'airdock_state';
    if (!TABLE.test(this.#table)) throw new StateCommitError('The state table name is not a plain identifier', { context: { table: this.#table } });
    this.#url = options.url;
    this.#pool = new pg.Pool({ ...(options.url ? { connectionString: options.url } : {}), max: 2 });
    // An idle client losing its server must not crash the process; the next query reports it.
    this.#pool.on('error', () => {});
    this.describe = `postgres table ${this.#table}`;
  }

  #init(): Promise<void> {
    this.#ready ??= this.#pool
      .query(`CREATE TABLE IF NOT EXISTS ${this.#table} (connection_name text PRIMARY KEY, state text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`)
      .then(() => undefined)
      .catch((err: unknown) => {
        this.#ready = undefined;
        throw new StateCommitError('The state database cannot be reached', { cause: err, context: { table: this.#table, reason: codeOf(err) } });
      });
    return this.#ready;
  }

  async load(connection: string): Promise<AirbyteStateMessage[]> {
    const text = await this.loadText(connection);
    return text === undefined ? [] : parseStoredState(text, { table: this.#table, connection });
  }

  async loadText(connection: string): Promise<string | undefined> {
    await this.#init();
    try {
      const { rows } = await this.#pool.query<{ state: string }>(`SELECT state FROM ${this.#table} WHERE connection_name = $1`, [connection]);
      return rows[0]?.state;
    } catch (err) {
      throw new StateCommitError('The state cannot be read from the database', { cause: err, context: { table: this.#table, reason: codeOf(err) } });
    }
  }

  async save(connection: string, states: readonly AirbyteStateMessage[]): Promise<void> {
    await this.#init();
    const client = await this.#pool.connect().catch((err: unknown) => {
      throw new StateCommitError('The state database cannot be reached', { cause: err, context: { table: this.#table, reason: codeOf(err) } });
    });
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ${this.#table} (connection_name, state, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (connection_name) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
        [connection, stringifyJson(states)],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw new StateCommitError('The state cannot be written to the database', { cause: err, context: { table: this.#table, reason: codeOf(err) } });
    } finally {
      client.release();
    }
  }

  /** Side records live in `<table>_records` (one row per connection and kind), created like the state table. */
  #records(): Promise<string> {
    const table = `${this.#table}_records`;
    this.#recordsReady ??= this.#init()
      .then(() => this.#pool.query(`CREATE TABLE IF NOT EXISTS ${table} (connection_name text NOT NULL, kind text NOT NULL, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (connection_name, kind))`))
      .then(() => table)
      .catch((err: unknown) => {
        this.#recordsReady = undefined;
        if (err instanceof StateCommitError) throw err;
        throw new StateCommitError('The state database cannot be reached', { cause: err, context: { table, reason: codeOf(err) } });
      });
    return this.#recordsReady;
  }

  async loadRecord(connection: string, kind: RecordKind): Promise<unknown> {
    const table = await this.#records();
    try {
      const { rows } = await this.#pool.query<{ value: string }>(`SELECT value FROM ${table} WHERE connection_name = $1 AND kind = $2`, [connection, kind]);
      return rows[0] ? JSON.parse(rows[0].value) as unknown : undefined;
    } catch (err) {
      throw new StateCommitError('A record beside the state cannot be read from the database', { cause: err, context: { table, reason: codeOf(err) } });
    }
  }

  async saveRecord(connection: string, kind: RecordKind, value: unknown): Promise<void> {
    const table = await this.#records();
    try {
      if (value === undefined) await this.#pool.query(`DELETE FROM ${table} WHERE connection_name = $1 AND kind = $2`, [connection, kind]);
      else {
        await this.#pool.query(
          `INSERT INTO ${table} (connection_name, kind, value, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (connection_name, kind) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [connection, kind, JSON.stringify(value)],
        );
      }
    } catch (err) {
      throw new StateCommitError('A record beside the state cannot be written to the database', { cause: err, context: { table, reason: codeOf(err) } });
    }
  }

  async clear(connection: string): Promise<void> {
    await this.#init();
    await this.#pool.query(`DELETE FROM ${this.#table} WHERE connection_name = $1`, [connection]);
  }

  /**
   * A session-level advisory lock on its own connection, held for the run: the server drops it when
   * that session ends, so the lock of a process that died is free again without anyone judging pids.
   * The holder is found through pg_locks and pg_stat_activity; its application_name says who it is.
   */
  async lock(connection: string, purpose: string): Promise<StateLock> {
    const me = processIdentity();
    const client = new pg.Client({
      ...(this.#url ? { connectionString: this.#url } : {}),
      // 63 bytes at most (NAMEDATALEN); the host is cut first.
      application_name: `airdock ${purpose} pid=${me.pid} host=${me.host}`.slice(0, 63),
    });
    client.on('error', () => {});
    const key = lockKey(this.#table, connection);
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int4, $2::int4) AS ok', [LOCK_CLASS, key]);
      if (rows[0]?.ok) {
        let released = false;
        const release = async () => {
          if (released) return;
          released = true;
          await client.query('SELECT pg_advisory_unlock($1::int4, $2::int4)', [LOCK_CLASS, key]).catch(() => {});
          await client.end().catch(() => {});
        };
        return { release, [Symbol.asyncDispose]: release };
      }
      const holder = await client.query<{ application_name: string; backend_start: Date }>(
        `SELECT a.application_name, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.classid = $1::int4::oid AND l.objid = $2::int4::oid AND l.objsubid = 2 AND l.granted`,
        [LOCK_CLASS, key],
      ).then((r) => r.rows[0], () => undefined);
      const m = /^airdock (\S+) pid=(\d+) host=(.*)$/.exec(holder?.application_name ?? '');
      throw new StateLockedError('Another airdock run holds this connection', {
        context: {
          connection, table: this.#table,
          ...(m ? { purpose: m[1], pid: Number(m[2]), host: m[3] } : {}),
          ...(holder ? { since: holder.backend_start.toISOString() } : {}),
        },
      });
    } catch (err) {
      await client.end().catch(() => {});
      if (err instanceof StateLockedError) throw err;
      throw new StateCommitError('The state database cannot be reached', { cause: err, context: { table: this.#table, reason: codeOf(err) } });
    }
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A constant first key keeps our advisory locks apart from an application's own on the same database. */
const LOCK_CLASS = 0x41697264; // 'Aird'

function lockKey(table: string, connection: string): number {
  return createHash('sha256').update(`${table}/${connection}`).digest().readInt32BE(0);
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
