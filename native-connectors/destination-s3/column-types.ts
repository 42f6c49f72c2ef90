/**
 * How a stream's JSON schema maps to typed columns (Avro and Parquet), as destination-s3 1.x maps
 * Airbyte types: integer → long, number → double, boolean, string, date, timestamps with and without
 * time zone, time; objects with properties → nested records; arrays with items → arrays; anything
 * else (schemaless objects, unions, unknown) → a JSON string.
 */
export type ColumnType =
  | { kind: 'boolean' | 'integer' | 'number' | 'string' | 'date' | 'timestamptz' | 'timestamp' | 'time' | 'json' }
  | { kind: 'object'; fields: Field[] }
  | { kind: 'array'; items: ColumnType };

export interface Field { name: string; safeName: string; type: ColumnType }

interface JsonSchema { type?: string | string[]; format?: string; airbyte_type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema | JsonSchema[]; oneOf?: JsonSchema[]; anyOf?: JsonSchema[] }

/** Avro names: letters, digits and `_`, not starting with a digit (the official sanitiser does the same). */
export function avroSafeName(name: string): string {
  const s = name.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s || '_';
}

export function columnType(schema: JsonSchema | undefined): ColumnType {
  const s = schema ?? {};
  const types = (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []).filter((t) => t !== 'null');
  if (types.length !== 1) return { kind: 'json' };
  switch (types[0]) {
    case 'boolean': return { kind: 'boolean' };
    case 'integer': return { kind: 'integer' };
    case 'number': return s.airbyte_type === 'integer' ? { kind: 'integer' } : { kind: 'number' };
    case 'string':
      if (s.format === 'date') return { kind: 'date' };
      if (s.format === 'date-time') return s.airbyte_type === 'timestamp_without_timezone' ? { kind: 'timestamp' } : { kind: 'timestamptz' };
      if (s.format === 'time') return { kind: 'time' };
      return { kind: 'string' };
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      return props.length > 0 ? { kind: 'object', fields: fieldsOf(s) } : { kind: 'json' };
    }
    case 'array':
      return s.items && !Array.isArray(s.items) ? { kind: 'array', items: columnType(s.items) } : { kind: 'json' };
    default: return { kind: 'json' };
  }
}

export function fieldsOf(schema: unknown): Field[] {
  const props = ((schema ?? {}) as JsonSchema).properties ?? {};
  const seen = new Set<string>();
  return Object.entries(props).map(([name, p]) => {
    let safeName = avroSafeName(name);
    while (seen.has(safeName)) safeName += '_';
    seen.add(safeName);
    return { name, safeName, type: columnType(p) };
  });
}

const TS = /^(\d{4}-\d{2}-\d{2})([T ](\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?))?\s*(Z|[+-]\d{2}(:?\d{2})?)?$/i;

/**
 * The value in the column's type, or `undefined` when it does not fit (the record keeps the other
 * values; the column is nulled and the change noted in `_airbyte_meta`, as the official connector does).
 */
export function fits(t: ColumnType, v: unknown): boolean {
  switch (t.kind) {
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d{1,18}$/.test(v));
    case 'number': return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
    case 'string': return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    case 'date': return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v);
    case 'timestamptz': case 'timestamp': return typeof v === 'string' && TS.test(v.trim());
    case 'time': return typeof v === 'string' && /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?/.test(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'json': return true;
  }
}
