import { clickhouseName } from './clickhouse-name.js';

/**
 * How a value is encoded for its column. The ClickHouse type of each follows the official destination
 * 2.x (ClickhouseSqlTypes / toDialectType): integer Int64, number Decimal(38, 9), boolean Bool, date
 * Date32, timestamps (with or without zone) DateTime64(3), objects JSON when enable_json is on and String
 * otherwise, and arrays, unions, times and untyped values String.
 */
export type ValueKind = 'int' | 'dec' | 'bool' | 'date' | 'ts' | 'str' | 'obj_text' | 'obj_json' | 'arr_text' | 'union_text';

export interface ColumnPlan {
  /** The property name in the record. */
  field: string;
  /** The column name in ClickHouse. */
  name: string;
  kind: ValueKind;
  /** Without Nullable(). */
  type: string;
  nullable: boolean;
}

const TYPE: Record<ValueKind, string> = {
  int: 'Int64', dec: 'Decimal(38, 9)', bool: 'Bool', date: 'Date32', ts: 'DateTime64(3)', str: 'String',
  obj_text: 'String', obj_json: 'JSON', arr_text: 'String', union_text: 'String',
};

/** The Airbyte columns every table starts with, as the official destination creates them. */
export const AIRBYTE_COLUMNS = [
  { name: '_airbyte_raw_id', type: 'String' },
  { name: '_airbyte_extracted_at', type: 'DateTime64(3)' },
  { name: '_airbyte_meta', type: 'String' },
  { name: '_airbyte_generation_id', type: 'UInt32' },
] as const;

const WELL_KNOWN: Record<string, ValueKind> = {
  String: 'str', BinaryData: 'str', Boolean: 'bool', Date: 'date', TimestampWithTimezone: 'ts', TimestampWithoutTimezone: 'ts',
  TimeWithTimezone: 'str', TimeWithoutTimezone: 'str', Number: 'dec', Integer: 'int',
};

type Schema = { type?: string | string[]; format?: string; airbyte_type?: string; $ref?: string; oneOf?: Schema[]; anyOf?: Schema[] };

/** The value kind of one property's JSON schema, read as the Airbyte CDKs read it. */
export function valueKind(schema: unknown, enableJson: boolean): ValueKind {
  const s = (schema ?? {}) as Schema;
  if (typeof s.$ref === 'string') {
    const m = /#\/definitions\/(\w+)$/.exec(s.$ref);
    return (m && WELL_KNOWN[m[1]!]) ?? 'str';
  }
  const options = s.oneOf ?? s.anyOf;
  if (Array.isArray(options)) {
    const real = options.filter((o) => o?.type !== 'null');
    return real.length === 1 ? valueKind(real[0], enableJson) : 'union_text';
  }
  const types = (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []).filter((t) => t !== 'null');
  if (types.length > 1) return 'union_text';
  switch (types[0]) {
    case 'integer': return 'int';
    case 'number': return s.airbyte_type === 'integer' ? 'int' : 'dec';
    case 'boolean': return 'bool';
    case 'object': return enableJson ? 'obj_json' : 'obj_text';
    case 'array': return 'arr_text';
    case 'string':
      if (s.format === 'date') return 'date';
      if (s.format === 'date-time' || s.airbyte_type === 'timestamp_with_timezone' || s.airbyte_type === 'timestamp_without_timezone') return 'ts';
      return 'str';
    default: return 'str'; // no type: the official destination's UnknownType, a String column
  }
}

/**
 * The columns for a stream's JSON schema. Primary key columns (and, for dedup, the version column) are
 * not Nullable, as in the official destination. Two properties that map to the same name get `_1`, `_2`.
 */
export function planColumns(jsonSchema: unknown, o: { enableJson: boolean; notNull: ReadonlySet<string> }): ColumnPlan[] {
  const props = ((jsonSchema ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
  const taken = new Set<string>(AIRBYTE_COLUMNS.map((c) => c.name));
  return Object.entries(props).map(([field, schema]) => {
    let name = clickhouseName(field);
    for (let i = 1; taken.has(name); i++) name = `${clickhouseName(field)}_${i}`;
    taken.add(name);
    const kind = valueKind(schema, o.enableJson);
    return { field, name, kind, type: TYPE[kind], nullable: !o.notNull.has(field) };
  });
}

/** The kind that encodes values for a column that already exists with another type. */
export function kindForExistingType(type: string, planned: ValueKind): ValueKind {
  const t = type.replace(/^Nullable\((.*)\)$/, '$1');
  if (t === TYPE[planned] || (t.startsWith('DateTime64') && planned === 'ts')) return planned;
  if (/^U?Int\d+$/.test(t)) return 'int';
  if (t.startsWith('Decimal')) return 'dec';
  if (t === 'Bool') return 'bool';
  if (t === 'Date32' || t === 'Date') return 'date';
  if (t.startsWith('DateTime')) return 'ts';
  if (t.startsWith('JSON') || t.startsWith('Object')) return 'obj_json';
  return 'str';
}

export const nullableType = (c: { type: string; nullable: boolean }) => (c.nullable ? `Nullable(${c.type})` : c.type);

/** The dedup version column must be an integer, a date or a timestamp (ClickhouseSqlTypes.VALID_VERSION_COLUMN_TYPES). */
export const isVersionKind = (k: ValueKind) => k === 'int' || k === 'date' || k === 'ts';
