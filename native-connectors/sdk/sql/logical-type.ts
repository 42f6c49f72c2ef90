/**
 * The column types every SQL destination plans with, one per Airbyte type, as the Airbyte bulk CDK
 * derives them from a stream's JSON schema (JsonSchemaToAirbyteType): `integer` (also number with
 * airbyte_type integer), `number`, `boolean`, `string`, `date`, `time_tz`/`time` (format time,
 * airbyte_type time_without_timezone), `timestamp_tz`/`timestamp` (format date-time, airbyte_type
 * timestamp_without_timezone), and `json` for objects, arrays, unions and anything unknown.
 */
export type LogicalType = 'integer' | 'number' | 'boolean' | 'string' | 'date' | 'time_tz' | 'time' | 'timestamp_tz' | 'timestamp' | 'json';

const WELL_KNOWN: Record<string, LogicalType> = {
  'WellKnownTypes.json#/definitions/Integer': 'integer',
  'WellKnownTypes.json#/definitions/Number': 'number',
  'WellKnownTypes.json#/definitions/String': 'string',
  'WellKnownTypes.json#/definitions/Boolean': 'boolean',
  'WellKnownTypes.json#/definitions/Date': 'date',
  'WellKnownTypes.json#/definitions/TimestampWithTimezone': 'timestamp_tz',
  'WellKnownTypes.json#/definitions/TimestampWithoutTimezone': 'timestamp',
  'WellKnownTypes.json#/definitions/BinaryData': 'string',
  'WellKnownTypes.json#/definitions/TimeWithTimezone': 'time_tz',
  'WellKnownTypes.json#/definitions/TimeWithoutTimezone': 'time',
};

type Schema = { type?: unknown; format?: unknown; airbyte_type?: unknown; $ref?: unknown; oneOf?: unknown; anyOf?: unknown; allOf?: unknown };

/** The logical type of one property schema. */
export function logicalType(schema: unknown): LogicalType {
  return typeOf(schema) ?? 'json';
}

/** undefined stands for "null" (dropped from unions). */
function typeOf(schema: unknown): LogicalType | undefined {
  if (typeof schema === 'string') return typeOf({ type: schema });
  if (typeof schema !== 'object' || schema === null) return 'json';
  const s = schema as Schema;
  if (typeof s.type === 'string') return single(s.type, s);
  if (Array.isArray(s.type)) return union(s.type.map((t) => (typeof t === 'string' ? typeOf({ ...s, type: t }) : typeOf(t))));
  if (s.type !== undefined) return 'json';
  if (typeof s.$ref === 'string') return WELL_KNOWN[s.$ref] ?? 'json';
  const options = s.oneOf ?? s.anyOf ?? s.allOf;
  if (Array.isArray(options)) return union(options.map(typeOf));
  return 'json';
}

function single(type: string, s: Schema): LogicalType | undefined {
  switch (type) {
    case 'string':
      if (s.format === 'date') return 'date';
      if (s.format === 'time') return s.airbyte_type === 'time_without_timezone' ? 'time' : 'time_tz';
      if (s.format === 'date-time') return s.airbyte_type === 'timestamp_without_timezone' ? 'timestamp' : 'timestamp_tz';
      return 'string';
    case 'boolean': return 'boolean';
    case 'int': case 'integer': return 'integer';
    case 'number': return s.airbyte_type === 'integer' ? 'integer' : 'number';
    case 'null': return undefined;
    default: return 'json';
  }
}

/** A union of one type (plus null) is that type; anything wider is stored as JSON. */
function union(options: (LogicalType | undefined)[]): LogicalType | undefined {
  const distinct = [...new Set(options.filter((o): o is LogicalType => o !== undefined))];
  if (distinct.length === 0) return options.length > 0 ? undefined : 'json';
  return distinct.length === 1 ? distinct[0] : 'json';
}
