import type pg from 'pg';
import { query } from './database.js';
import { toSourceError } from './pg-errors.js';

/**
 * One consistent view of the database for a whole read: the coordinator opens a REPEATABLE READ
 * transaction and exports its snapshot; every worker connection of the pool imports it, so parallel
 * chunk reads (and the bookkeeping queries on the coordinator) all see the same rows.
 */
export class SnapshotSession implements AsyncDisposable {
  readonly coordinator: pg.PoolClient;
  readonly #pool: pg.Pool;
  readonly #snapshotId: string | undefined;

  private constructor(pool: pg.Pool, coordinator: pg.PoolClient, snapshotId: string | undefined) {
    this.#pool = pool;
    this.coordinator = coordinator;
    this.#snapshotId = snapshotId;
  }

  /** `shared`: export the snapshot for other connections (needed when reading in parallel). */
  static async open(pool: pg.Pool, shared: boolean): Promise<SnapshotSession> {
    let coordinator: pg.PoolClient;
    try {
      coordinator = await pool.connect();
    } catch (error) {
      throw toSourceError(error, 'connect');
    }
    try {
      await query(coordinator, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', [], 'open snapshot');
      const id = shared ? (await query<{ id: string }>(coordinator, 'SELECT pg_export_snapshot() AS id', [], 'export snapshot'))[0]!.id : undefined;
      if (!shared) await query(coordinator, 'SELECT 1', [], 'open snapshot'); // takes the snapshot now
      return new SnapshotSession(pool, coordinator, id);
    } catch (error) {
      coordinator.release(true);
      throw error;
    }
  }

  get shared(): boolean {
    return this.#snapshotId !== undefined;
  }

  /**
   * Runs `work` on a connection that sees the session's snapshot: a pool connection importing it, or
   * the coordinator itself when the snapshot is not shared (one reader).
   */
  async withReader<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (!this.#snapshotId) return work(this.coordinator);
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw toSourceError(error, 'connect');
    }
    let broken = false;
    try {
      await query(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', [], 'import snapshot');
      await query(client, `SET TRANSACTION SNAPSHOT '${this.#snapshotId.replace(/'/g, "''")}'`, [], 'import snapshot');
      const result = await work(client);
      await query(client, 'COMMIT', [], 'end snapshot');
      return result;
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // A connection left mid-COPY or mid-transaction is not reusable: destroy it.
      client.release(broken);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.coordinator.query('COMMIT');
      this.coordinator.release();
    } catch {
      this.coordinator.release(true);
    }
  }
}
