/**
 * The JSON schema of a ClickHouse column, for the values the source emits (JSONEachRow with
 * date_time_output_format=iso and unquoted 64-bit integers). Nullable columns also accept null.
 */
export function columnJsonSchema(chType: string): Record<string, unknown> {
  const { inner, nullable } = unwrap(chType);
  const schema = baseSchema(inner);
  if (!nullable) return schema;
  const t = schema.type;
  return { ...schema, type: Array.isArray(t) ? t : t === undefined ? t : ['null', t] };
}

function unwrap(t: string): { inner: string; nullable: boolean } {
  let inner = t.trim();
  let nullable = false;
  for (;;) {
    const m = /^(Nullable|LowCardinality)\((.*)\)$/.exec(inner);
    if (!m) return { inner, nullable };
    if (m[1] === 'Nullable') nullable = true;
    inner = m[2]!.trim();
  }
}

function baseSchema(t: string): Record<string, unknown> {
  const name = /^[A-Za-z0-9_]+/.exec(t)?.[0] ?? '';
  if (name === 'Bool') return { type: 'boolean' };
  if (/^U?Int(8|16|32|64|128|256)$/.test(name)) return { type: 'integer' };
  if (/^(Float32|Float64|BFloat16|Decimal\d*)$/.test(name)) return { type: 'number' };
  if (name === 'Date' || name === 'Date32') return { type: 'string', format: 'date' };
  if (name === 'DateTime' || name === 'DateTime64') return { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' };
  if (name === 'Array') {
    const { inner, nullable } = unwrap(t.slice('Array('.length, -1));
    const items = baseSchema(inner);
    return { type: 'array', items: nullable && typeof items.type === 'string' ? { ...items, type: ['null', items.type] } : items };
  }
  if (name === 'Map' || name === 'Tuple' || name === 'JSON' || name === 'Object' || name === 'Nested') return { type: 'object' };
  if (/^(String|FixedString|UUID|Enum8|Enum16|Enum|IPv4|IPv6)$/.test(name)) return { type: 'string' };
  // Geo types, Variant, Dynamic, AggregateFunction...: no narrower schema is true for every value.
  return {};
}
