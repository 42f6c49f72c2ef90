import type pg from 'pg';
import { columnType, jsonSchemaOf, type ColumnType } from './column-types.js';
import { query } from './database.js';

export interface Column {
  name: string;
  typname: string;
  type: ColumnType;
  schema: Record<string, unknown>;
}

export interface Relation {
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, f foreign table. */
  relkind: string;
  columns: Column[];
  primaryKey: string[];
  /** Whether rows have a stable physical address to split and resume reads by (ctid). */
  hasCtid: boolean;
}

/** Tables and views of the given schemas that the user may SELECT, with columns and primary keys. */
export async function listRelations(client: pg.ClientBase, schemas: readonly string[]): Promise<Relation[]> {
  const rows = await query<{
    nspname: string; relname: string; relkind: string; attname: string; typname: string; elem_typname: string | null; atttypmod: number;
  }>(client, `
    SELECT n.nspname, c.relname, c.relkind::text AS relkind, a.attname, bt.typname, et.typname AS elem_typname, a.atttypmod
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
    LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
    WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND has_table_privilege(c.oid, 'SELECT')
    ORDER BY n.nspname, c.relname, a.attnum`, [schemas], 'discover columns');
  const keys = await query<{ nspname: string; relname: string; cols: string[] }>(client, `
    SELECT n.nspname, c.relname, array_agg(a.attname::text ORDER BY k.ord) AS cols
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE con.contype = 'p' AND n.nspname = ANY($1::text[])
    GROUP BY n.nspname, c.relname`, [schemas], 'discover primary keys');
  const pk = new Map(keys.map((k) => [`${k.nspname}.${k.relname}`, k.cols]));
  const byName = new Map<string, Relation>();
  for (const r of rows) {
    const id = `${r.nspname}.${r.relname}`;
    let rel = byName.get(id);
    if (!rel) {
      rel = { schema: r.nspname, name: r.relname, relkind: r.relkind, columns: [], primaryKey: pk.get(id) ?? [], hasCtid: r.relkind === 'r' || r.relkind === 'm' };
      byName.set(id, rel);
    }
    const type = columnType({ typname: r.typname, elemTypname: r.elem_typname, atttypmod: r.atttypmod });
    rel.columns.push({ name: r.attname, typname: r.typname, type, schema: jsonSchemaOf(type, r.elem_typname) });
  }
  return [...byName.values()];
}

/** "schema"."name", quoted for SQL. */
export function qualifiedName(r: { schema: string; name: string }): string {
  return `${quoteIdent(r.schema)}.${quoteIdent(r.name)}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
