import type { LogicalType } from './logical-type.js';
import { canWiden, type SqlDialect } from './sql-dialect.js';
import type { ColumnPlan } from './table-plan.js';

export interface SchemaChange {
  /** Columns the catalog has and the table lacks: ADD COLUMN. */
  add: ColumnPlan[];
  /** Columns whose type the catalog widens (integer → number, anything → string or json, ...). */
  widen: { column: string; from: LogicalType; to: LogicalType }[];
  /** Columns the table already holds in a wider type: kept, and values are written as that type. */
  keep: { column: string; table: LogicalType; catalog: LogicalType }[];
  /** Columns whose types cannot be reconciled (neither is wider, or the table type is unknown). */
  conflicts: { column: string; table: string; catalog: LogicalType }[];
  /** The columns to load with, types as they will be in the table after the change. */
  columns: ColumnPlan[];
}

/**
 * Schema evolution for an existing table: compares its columns (name → type as the database
 * reports it) with the planned ones. New columns are added and widenings applied; a column the
 * table already holds in a wider type is kept (nothing is narrowed, no data is rewritten); columns
 * the catalog no longer has stay in the table. What cannot be reconciled is returned as a conflict
 * for the destination to report, naming the column.
 */
export function planSchemaChange(existing: ReadonlyMap<string, string>, planned: readonly ColumnPlan[], dialect: SqlDialect): SchemaChange {
  const out: SchemaChange = { add: [], widen: [], keep: [], conflicts: [], columns: [] };
  for (const c of planned) {
    const reported = existing.get(c.name);
    if (reported === undefined) {
      out.add.push(c);
      out.columns.push(c);
      continue;
    }
    const table = dialect.logicalOf(reported);
    if (table === c.type) out.columns.push(c);
    else if (table !== undefined && canWiden(table, c.type)) {
      out.widen.push({ column: c.name, from: table, to: c.type });
      out.columns.push(c);
    } else if (table !== undefined && canWiden(c.type, table)) {
      out.keep.push({ column: c.name, table, catalog: c.type });
      out.columns.push({ ...c, type: table });
    } else {
      out.conflicts.push({ column: c.name, table: reported, catalog: c.type });
    }
  }
  return out;
}
