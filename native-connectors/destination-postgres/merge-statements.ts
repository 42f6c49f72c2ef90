import { columnList, type TablePlan } from '../sdk/sql/index.js';
import { newerCondition } from '../sdk/sql/sql-statements.js';
import { postgresDialect as d, quote } from './postgres-dialect.js';

/** The statements that merge one batch in the stage into its table (DedupMerge runs them). */
export interface MergeStatements {
  /** Deletes the table rows that a newer batch row replaces (any newer row: the latest is at least as new). */
  delete: string;
  /** Inserts the latest batch row of each key that the table does not hold, unless it is a hard delete. */
  insert: string;
  /** {@link insert} for keys without a NULL part: after an `insert`, whose NULL keys (never equal to a table row's) are all in. */
  insertKeyed: string;
  /** {@link insert} without the look-up: for a batch none of whose keys can be in the table. */
  insertFresh: string;
  /** {@link insertFresh} without DISTINCT ON's sort: for such a batch with no key twice either. */
  insertAll: string;
  /**
   * One row, `fresh`: whether the batch's smallest first key part is above the table's largest (or
   * either has none), so that no batch key can be in the table. Keys that grow (serial ids, times)
   * pass it batch after batch; only for types whose order agrees with their equality. And `once`
   * (a one-column key): whether no batch row has a NULL key or the key of another (counting the
   * distinct values sorts only them, ~2 ms per 100k rows; DISTINCT ON sorts whole rows, ~17 ms).
   */
  fresh: string | undefined;
}

/** First key part types compared by order: integers, dates and times (text sorts by collation, numbers cross float and numeric). */
const ORDERED = new Set(['integer', 'date', 'timestamp', 'timestamp_tz']);

/**
 * Dedup (append_dedup) of one batch in `stage` into `target`, the rules of the shared
 * upsertStatements (latest cursor wins, NULL cursors lose, ties by _airbyte_extracted_at; a key the
 * table holds in a newer row keeps it; CDC hard deletes drop the key) and no scratch table:
 * PostgreSQL's DISTINCT ON picks each key's latest batch row as the insert reads the stage. Writing
 * the scratch table was ~10 % of a dedup sync. `delete` then `insert` is the whole merge; `insert`
 * first takes every key the table does not hold, and `delete` then `insertKeyed` finish it.
 */
export function mergeStatements(plan: TablePlan, stage: string, target: string, options: { hardDelete: boolean }): MergeStatements {
  const cols = columnList(d, plan);
  const pk = plan.primaryKey.map(quote);
  const cursor = plan.cursor === undefined ? undefined : quote(plan.cursor);
  const at = quote('_airbyte_extracted_at');
  const order = [...pk, ...(cursor ? [`${cursor} DESC NULLS LAST`] : []), `${at} DESC`].join(', ');
  const match = pk.map((c) => `t.${c} = s.${c}`).join(' AND ');
  const absent = `WHERE NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE ${match}) `;
  const latest = (lookUp: boolean) => `SELECT DISTINCT ON (${pk.join(', ')}) ${cols} FROM ${stage} AS s ${lookUp ? absent : ''}ORDER BY ${order}`;
  const kept = options.hardDelete && plan.cdcDeletedAt ? [`${quote(plan.cdcDeletedAt)} IS NULL`] : [];
  const insert = (where: string[], lookUp = true) => `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM (${latest(lookUp)}) AS latest${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const first = plan.columns.find((c) => c.name === plan.primaryKey[0]);
  return {
    delete: `DELETE FROM ${target} AS t USING ${stage} AS s WHERE ${match} AND ${newerCondition(d, plan)}`,
    insert: insert(kept),
    insertKeyed: insert([...kept, ...pk.map((c) => `${c} IS NOT NULL`)]),
    insertFresh: insert(kept, false),
    insertAll: `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${stage}${kept.length ? ` WHERE ${kept.join(' AND ')}` : ''}`,
    fresh: first && ORDERED.has(first.type)
      ? `SELECT coalesce(min(s.${pk[0]}) > (SELECT max(t.${pk[0]}) FROM ${target} AS t), true) AS fresh, ${pk.length === 1 ? `count(*) = count(DISTINCT s.${pk[0]})` : 'false'} AS once FROM ${stage} AS s`
      : undefined,
  };
}
