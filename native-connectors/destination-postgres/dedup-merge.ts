import type { Client } from 'pg';
import type { MergeStatements } from './merge-statements.js';

/**
 * For the merge of a batch into its table (this transaction only). The stage has no statistics and
 * the table grows during the sync, so PostgreSQL picked hash and merge joins that read the whole
 * table for every batch (a cost that grows with the table), and JIT-compiled them (~0.2 s per
 * statement). A batch is small next to its table: probing the primary-key index per batch row is
 * what stays flat. 1M rows into append_dedup: DELETE 830 → 137 ms per 100k batch.
 */
const MERGE_SETTINGS = ['SET LOCAL jit = off', 'SET LOCAL enable_hashjoin = off', 'SET LOCAL enable_mergejoin = off', "SET LOCAL work_mem = '64MB'"];

/**
 * Runs one stream's batch merges (append_dedup), in the order the last batch suggests. Most batches
 * of a first sync, and of tables that mostly grow, hold only keys the table does not have: then the
 * INSERT's look-up of each key is all the merge needs, and the DELETE (a second look-up of every
 * batch row, ~10 % of the server's work per batch) can be skipped. Whether it could is known only
 * afterwards, from the INSERT's row count: all `rows` of the batch went in, so no batch key was in
 * the table (nor repeated, nor a hard delete). Otherwise the DELETE and a second INSERT (of the keys
 * without a NULL part: the first took the NULL keys, which match no table row) finish the merge,
 * with the same result as DELETE then INSERT. After such a batch the next ones run DELETE then
 * INSERT, until one of them deletes nothing and inserts every row again. While batches hold only new
 * keys, a first look at the key range (the stage's smallest first key part against the table's
 * largest, ~13 ms per 100k rows) can show that none of them can be in the table: then the INSERT
 * needs no look-up either (~45 ms per 100k rows), nor DISTINCT ON when no key is there twice.
 */
export class DedupMerge {
  /** Whether the last batch held only new keys: the next one tries the INSERT alone first. */
  #expectNew = true;

  constructor(private readonly statements: MergeStatements) {}

  /** Merges the `rows` rows of the stage into the table, inside the batch's transaction. */
  async run(client: Client, rows: number): Promise<void> {
    const m = this.statements;
    for (const sql of MERGE_SETTINGS) await client.query(sql);
    if (this.#expectNew) {
      const range = m.fresh ? (await client.query<{ fresh: boolean; once: boolean }>(m.fresh)).rows[0] : undefined;
      if (range?.fresh === true) {
        await client.query(range.once === true ? m.insertAll : m.insertFresh);
        return;
      }
      if ((await client.query(m.insert)).rowCount === rows) return;
      this.#expectNew = false;
      await client.query(m.delete);
      await client.query(m.insertKeyed);
      return;
    }
    const deleted = (await client.query(m.delete)).rowCount;
    const inserted = (await client.query(m.insert)).rowCount;
    this.#expectNew = deleted === 0 && inserted === rows;
  }
}
