import pg from 'pg';
import type { ClientConfig } from 'pg';
import { resolveConnection, type ConnectionTarget, type ResolvedConnection } from './connection-options.js';
import type { PostgresSourceConfig } from './postgres-config.js';
import { parallelReads } from './postgres-config.js';
import { toSourceError } from './pg-errors.js';
import { DirectSocket } from './direct-socket.js';

// Bigints, numerics and timestamps are produced as JSON text by the server (see column-types.ts);
// node-postgres parses nothing we read, so no value ever passes through a JS double.

/**
 * The connections one command uses: single clients to the primary (catalog, CDC bookkeeping) and a
 * pg.Pool for table reads, pointed at the read replica when one is configured. Dispose to close all.
 */
export class Database implements AsyncDisposable {
  readonly config: PostgresSourceConfig;
  readonly #resolved: ResolvedConnection;
  #ssl: ClientConfig['ssl'];
  #pool: pg.Pool | undefined;
  readonly #clients = new Set<pg.Client>();

  private constructor(config: PostgresSourceConfig, resolved: ResolvedConnection) {
    this.config = config;
    this.#resolved = resolved;
    this.#ssl = resolved.base.ssl;
  }

  static create(config: PostgresSourceConfig): Database {
    return new Database(config, resolveConnection(config));
  }

  get readsFromReplica(): boolean {
    return this.#resolved.reads !== this.#resolved.primary;
  }

  /** A client to the primary (or the read target), connected; closed with the Database. */
  async connect(where: 'primary' | 'reads' = 'primary', extra: Partial<ClientConfig> = {}): Promise<pg.Client> {
    const target = where === 'primary' ? this.#resolved.primary : this.#resolved.reads;
    const client = await this.#connectTo(target, extra);
    this.#clients.add(client);
    client.once('end', () => this.#clients.delete(client));
    return client;
  }

  /** The pool table reads draw from (parallel_reads workers plus one coordinator by default). */
  async readPool(): Promise<pg.Pool> {
    if (this.#pool) return this.#pool;
    // Settle the SSL question (prefer → plain fallback) once, with a real connection, before pooling.
    const probe = await this.connect('reads');
    await probe.end();
    const max = this.config.pool_size ?? parallelReads(this.config) + 1;
    const pool = new pg.Pool({
      ...this.#resolved.base, ssl: this.#ssl, host: this.#resolved.reads.host, port: this.#resolved.reads.port, max, idleTimeoutMillis: 0,
      // Table reads without TLS read their COPY straight from the socket's own buffer.
      ...(this.#ssl === false ? { stream: () => new DirectSocket() } : {}),
    });
    pool.on('error', () => {}); // an idle client that dies is replaced on the next checkout
    // A client checked out loses the pool's listener: a connection lost mid-read (or closed on an
    // abort) is surfaced by the query that was running, never as an unhandled 'error' event.
    pool.on('connect', (client) => client.on('error', () => {}));
    this.#pool = pool;
    return pool;
  }

  async #connectTo(target: ConnectionTarget, extra: Partial<ClientConfig>): Promise<pg.Client> {
    const attempt = async (ssl: ClientConfig['ssl']) => {
      const client = new pg.Client({ ...this.#resolved.base, ssl, host: target.host, port: target.port, ...extra });
      client.on('error', () => {}); // surfaced by the query that was running; never crash the process
      try {
        await client.connect();
        return client;
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
    };
    try {
      return await attempt(this.#ssl);
    } catch (error) {
      if (this.#resolved.sslFallback && this.#ssl && /does not support SSL/i.test(String((error as Error)?.message))) {
        this.#ssl = false;
        try { return await attempt(false); } catch (e2) { throw toSourceError(e2, 'connect'); }
      }
      throw toSourceError(error, 'connect');
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const clients = [...this.#clients];
    this.#clients.clear();
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end().catch(() => {});
  }
}

/** Runs a query, mapping failures to typed errors. */
export async function query<R extends pg.QueryResultRow = Record<string, unknown>>(client: pg.ClientBase, sql: string, params: unknown[] = [], what = 'query'): Promise<R[]> {
  try {
    return (await client.query<R>(sql, params)).rows;
  } catch (error) {
    throw toSourceError(error, what);
  }
}
