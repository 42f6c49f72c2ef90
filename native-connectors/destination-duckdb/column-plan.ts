/** How one JSON schema property becomes a DuckDB column and how its values are appended. */
export type ColumnKind = 'int' | 'num' | 'bool' | 'str' | 'ts' | 'tstz' | 'date' | 'json';

export interface ColumnPlan { name: string; kind: ColumnKind; sqlType: string }

const SQL: Record<ColumnKind, string> = {
  int: 'BIGINT', num: 'DOUBLE', bool: 'BOOLEAN', str: 'VARCHAR', ts: 'TIMESTAMP', tstz: 'TIMESTAMPTZ', date: 'DATE', json: 'JSON',
};

export function columnKind(schema: unknown): ColumnKind {
  const s = (schema ?? {}) as { type?: string | string[]; format?: string; airbyte_type?: string };
  const types = (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []).filter((t) => t !== 'null');
  if (types.length !== 1) return 'json';
  switch (types[0]) {
    case 'integer': return 'int';
    case 'number': return s.airbyte_type === 'integer' ? 'int' : 'num';
    case 'boolean': return 'bool';
    case 'string':
      if (s.format === 'date-time') return s.airbyte_type === 'timestamp_without_timezone' ? 'ts' : 'tstz';
      if (s.format === 'date') return 'date';
      return 'str';
    default: return 'json';
  }
}

export function planColumns(jsonSchema: unknown): ColumnPlan[] {
  const props = ((jsonSchema ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.entries(props).map(([name, schema]) => {
    const kind = columnKind(schema);
    return { name, kind, sqlType: SQL[kind] };
  });
}

export const META_COLUMNS = [
  { name: '_airbyte_raw_id', sqlType: 'VARCHAR' },
  { name: '_airbyte_extracted_at', sqlType: 'TIMESTAMPTZ' },
  { name: '_airbyte_meta', sqlType: 'JSON' },
  { name: '_airbyte_generation_id', sqlType: 'BIGINT' },
] as const;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Table names as the reference destination makes them: lower case, anything else becomes `_`. */
export function tableName(stream: string): string {
  return stream.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
