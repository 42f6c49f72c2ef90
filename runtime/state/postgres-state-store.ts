import pg from 'pg';
import { StateCommitError, stringifyJson, type AirbyteStateMessage } from '../../protocol/index.js';
import { parseStoredState } from './parse-stored-state.js';
import type { StateStore } from './state-store.js';

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
  #ready: Promise<void> | undefined;

  constructor(options: PostgresStateStoreOptions = {}) {
    this.#table = options.table ?? 'airdock_state';
    if (!TABLE.test(this.#table)) throw new StateCommitError('The state table name is not a plain identifier', { context: { table: this.#table } });
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
    await this.#init();
    let rows: { state: string }[];
    try {
      rows = (await this.#pool.query<{ state: string }>(`SELECT state FROM ${this.#table} WHERE connection_name = $1`, [connection])).rows;
    } catch (err) {
      throw new StateCommitError('The state cannot be read from the database', { cause: err, context: { table: this.#table, reason: codeOf(err) } });
    }
    return rows[0] ? parseStoredState(rows[0].state, { table: this.#table, connection }) : [];
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

  async clear(connection: string): Promise<void> {
    await this.#init();
    await this.#pool.query(`DELETE FROM ${this.#table} WHERE connection_name = $1`, [connection]);
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
