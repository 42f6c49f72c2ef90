import type { SqlDialect } from './sql-dialect.js';
import { META_COLUMNS, type TablePlan } from './table-plan.js';

/**
 * The statements every SQL destination runs, in plain SQL that PostgreSQL and DuckDB both accept.
 * `source` is anything a FROM clause takes (a table, or a parenthesised SELECT with an alias) whose
 * columns are the Airbyte columns followed by the plan's columns, already typed.
 */
export function columnList(d: SqlDialect, plan: TablePlan): string {
  return [...META_COLUMNS, ...plan.columns.map((c) => c.name)].map((c) => d.quote(c)).join(', ');
}

/** Append: every row goes in. */
export function insertStatement(d: SqlDialect, plan: TablePlan, source: string, target: string): string {
  const cols = columnList(d, plan);
  return `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${source}`;
}

/**
 * Dedup (append_dedup), as the official destinations do it, in statements both databases run:
 * 1. keep the latest row per primary key of the batch (cursor DESC NULLS LAST, then
 *    _airbyte_extracted_at DESC) in `scratch` (a temporary table name unique to this stream);
 * 2. delete table rows that a newer batch row replaces (or deletes: CDC);
 * 3. insert batch rows whose key is no longer in the table, except hard-deleted ones.
 * After each batch the table holds every key once, so a crash between batches needs no cleanup.
 */
export function upsertStatements(d: SqlDialect, plan: TablePlan, source: string, target: string, scratch: string, options: { hardDelete: boolean }): string[] {
  const cols = columnList(d, plan);
  const pk = plan.primaryKey.map((c) => d.quote(c));
  const cursor = plan.cursor === undefined ? undefined : d.quote(plan.cursor);
  const at = d.quote('_airbyte_extracted_at');
  const order = `${cursor ? `${cursor} DESC NULLS LAST, ` : ''}${at} DESC`;
  const match = pk.map((c) => `t.${c} = s.${c}`).join(' AND ');
  const newer = newerCondition(d, plan);
  const deleted = options.hardDelete && plan.cdcDeletedAt ? ` AND s.${d.quote(plan.cdcDeletedAt)} IS NULL` : '';
  return [
    `CREATE TEMP TABLE ${scratch} AS SELECT ${cols} FROM (SELECT ${cols}, row_number() OVER (PARTITION BY ${pk.join(', ')} ORDER BY ${order}) AS airdock_rn FROM ${source}) AS ranked WHERE airdock_rn = 1`,
    `DELETE FROM ${target} AS t USING ${scratch} AS s WHERE ${match} AND ${newer}`,
    `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${scratch} AS s WHERE NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE ${match})${deleted}`,
    `DROP TABLE ${scratch}`,
  ];
}

/**
 * The dedup order as a condition on a table row `t` and a batch row `s` of the same key: s is newer
 * than t (later cursor, or the same cursor extracted later; a cursor beats none).
 */
export function newerCondition(d: SqlDialect, plan: TablePlan): string {
  const cursor = plan.cursor === undefined ? undefined : d.quote(plan.cursor);
  const at = d.quote('_airbyte_extracted_at');
  return cursor
    ? `(t.${cursor} < s.${cursor} OR (t.${cursor} = s.${cursor} AND t.${at} < s.${at}) OR (t.${cursor} IS NULL AND s.${cursor} IS NOT NULL) OR (t.${cursor} IS NULL AND s.${cursor} IS NULL AND t.${at} < s.${at}))`
    : `t.${at} < s.${at}`;
}

/** Refreshes: rows of generations before the minimum go once the sync has written its own. */
export function dropOldGenerationsStatement(d: SqlDialect, plan: TablePlan, target: string): string | undefined {
  if (plan.truncate || plan.minimumGenerationId <= 0) return undefined;
  return `DELETE FROM ${target} WHERE ${d.quote('_airbyte_generation_id')} < ${Number(plan.minimumGenerationId)}`;
}
