import type { ConfiguredAirbyteStream } from '../../../protocol/index.js';
import { logicalType, type LogicalType } from './logical-type.js';

/** The Airbyte columns every final table starts with, in this order. */
export const META_COLUMNS = ['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_meta', '_airbyte_generation_id'] as const;
/** The CDC deletion marker: a stream with this column carries source deletes. */
export const CDC_DELETED_AT = '_ab_cdc_deleted_at';

export interface ColumnPlan {
  /** The property name in the record's `data`. */
  field: string;
  /** The column name in the table (normalised by the destination's rules). */
  name: string;
  type: LogicalType;
}

/** What one configured stream becomes in a SQL destination. */
export interface TablePlan {
  stream: string;
  namespace: string | undefined;
  columns: ColumnPlan[];
  /** Primary key column names (top-level fields only, as the official destinations do). */
  primaryKey: string[];
  /** The cursor column name (first element of the cursor path), for dedup ordering. */
  cursor: string | undefined;
  /** append_dedup: one row per primary key, the latest cursor wins, ties by _airbyte_extracted_at. */
  dedup: boolean;
  /** overwrite: the sync writes a new table that replaces the old one in one step at the end. */
  truncate: boolean;
  generationId: number;
  minimumGenerationId: number;
  syncId: number | undefined;
  /** The column of `_ab_cdc_deleted_at`, when the stream has it. */
  cdcDeletedAt: string | undefined;
}

export interface NamingRules {
  /** The column name for a property (e.g. replace characters the database rejects). */
  columnName(field: string): string;
  /** Longest identifier the database keeps (PostgreSQL: 63 bytes); suffixes added on collisions fit in it. */
  maxIdentifierLength?: number;
}

/**
 * Plans a stream's table: one column per top-level property with its logical type, names
 * normalised by the destination's rules. Two properties that normalise to the same name (or to an
 * Airbyte column's name) keep the first; later ones get `_1`, `_2`, ...
 */
export function planTable(configured: ConfiguredAirbyteStream, naming: NamingRules): TablePlan {
  const s = configured.stream;
  const props = ((s.json_schema ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
  const taken = new Set<string>(META_COLUMNS);
  const max = naming.maxIdentifierLength ?? Infinity;
  const columns: ColumnPlan[] = Object.entries(props).map(([field, schema]) => {
    const base = naming.columnName(field);
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base.slice(0, Math.max(0, max - String(i).length - 1))}_${i}`;
    taken.add(name);
    return { field, name, type: logicalType(schema) };
  });
  const columnOf = (field: string | undefined) => columns.find((c) => c.field === field)?.name;
  const primaryKey = (configured.primary_key ?? []).map((path) => columnOf(path[0])).filter((n): n is string => n !== undefined);
  const generationId = configured.generation_id ?? 0;
  const minimumGenerationId = configured.minimum_generation_id ?? 0;
  return {
    stream: s.name,
    namespace: s.namespace ?? undefined,
    columns,
    primaryKey,
    cursor: columnOf(configured.cursor_field?.[0]),
    dedup: configured.destination_sync_mode === 'append_dedup' && primaryKey.length > 0,
    truncate: configured.destination_sync_mode === 'overwrite' || (minimumGenerationId > 0 && minimumGenerationId === generationId),
    generationId,
    minimumGenerationId,
    syncId: configured.sync_id,
    cdcDeletedAt: columnOf(CDC_DELETED_AT),
  };
}
