import type { LogicalType, SqlDialect } from '../sdk/sql/index.js';

const TYPES: Record<LogicalType, string> = {
  integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'DATE',
  time: 'TIME', time_tz: 'TIMETZ', timestamp: 'TIMESTAMP', timestamp_tz: 'TIMESTAMPTZ', json: 'JSON',
};
/** information_schema.columns.data_type as DuckDB reports it. */
const REPORTED: Record<string, LogicalType> = {
  BIGINT: 'integer', INTEGER: 'integer', HUGEINT: 'integer', DOUBLE: 'number', FLOAT: 'number', BOOLEAN: 'boolean', VARCHAR: 'string',
  DATE: 'date', TIME: 'time', 'TIME WITH TIME ZONE': 'time_tz', TIMESTAMP: 'timestamp', 'TIMESTAMP WITH TIME ZONE': 'timestamp_tz', JSON: 'json',
};

export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export const duckdbDialect: SqlDialect = {
  quote,
  typeName: (t) => TYPES[t],
  logicalOf: (reported) => REPORTED[reported.toUpperCase()] ?? (/^DECIMAL/i.test(reported) ? 'number' : undefined),
  alterColumnType(table, column, _from, to) {
    const using = to === 'json' ? ` USING to_json(${quote(column)})` : '';
    return `ALTER TABLE ${table} ALTER COLUMN ${quote(column)} SET DATA TYPE ${TYPES[to]}${using}`;
  },
};

/** Table names as the reference destination makes them: lower case, anything else becomes `_`. */
export function tableName(stream: string): string {
  return stream.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
