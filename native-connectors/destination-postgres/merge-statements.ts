import { columnList, type TablePlan } from '../sdk/sql/index.js';
import { newerCondition } from '../sdk/sql/sql-statements.js';
import { postgresDialect as d, quote } from './postgres-dialect.js';

/**
 * Dedup (append_dedup) of one batch in `stage` into `target`, the rules of the shared
 * upsertStatements (latest cursor wins, NULL cursors lose, ties by _airbyte_extracted_at; a key the
 * table holds in a newer row keeps it; CDC hard deletes drop the key) in two statements and no
 * scratch table: PostgreSQL's DISTINCT ON picks each key's latest batch row as the insert reads the
 * stage. Writing the scratch table was ~10 % of a dedup sync.
 * 1. delete table rows that a newer batch row replaces (any newer row: the latest is at least as new);
 * 2. insert the latest batch row of each key no longer in the table, unless it is a hard delete.
 */
export function mergeStatements(plan: TablePlan, stage: string, target: string, options: { hardDelete: boolean }): string[] {
  const cols = columnList(d, plan);
  const pk = plan.primaryKey.map(quote);
  const cursor = plan.cursor === undefined ? undefined : quote(plan.cursor);
  const at = quote('_airbyte_extracted_at');
  const order = [...pk, ...(cursor ? [`${cursor} DESC NULLS LAST`] : []), `${at} DESC`].join(', ');
  const match = pk.map((c) => `t.${c} = s.${c}`).join(' AND ');
  const latest = `SELECT DISTINCT ON (${pk.join(', ')}) ${cols} FROM ${stage} AS s WHERE NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE ${match}) ORDER BY ${order}`;
  const deleted = options.hardDelete && plan.cdcDeletedAt ? ` WHERE ${quote(plan.cdcDeletedAt)} IS NULL` : '';
  return [
    `DELETE FROM ${target} AS t USING ${stage} AS s WHERE ${match} AND ${newerCondition(d, plan)}`,
    `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM (${latest}) AS latest${deleted}`,
  ];
}
