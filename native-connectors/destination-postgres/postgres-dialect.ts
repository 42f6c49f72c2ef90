import type { LogicalType, SqlDialect } from '../sdk/sql/index.js';

/** Column types as destination-postgres 3.x creates them (sql/PostgresDataType.kt, PostgresColumnUtils.kt). */
const TYPES: Record<LogicalType, string> = {
  integer: 'bigint', number: 'decimal', boolean: 'boolean', string: 'varchar', date: 'date',
  time_tz: 'time with time zone', time: 'time', timestamp_tz: 'timestamp with time zone', timestamp: 'timestamp', json: 'jsonb',
};
/** information_schema.columns.data_type → logical type. */
const REPORTED: Record<string, LogicalType> = {
  bigint: 'integer', integer: 'integer', smallint: 'integer', numeric: 'number', 'double precision': 'number', real: 'number',
  boolean: 'boolean', 'character varying': 'string', text: 'string', character: 'string', date: 'date',
  'time with time zone': 'time_tz', 'time without time zone': 'time', 'timestamp with time zone': 'timestamp_tz',
  'timestamp without time zone': 'timestamp', jsonb: 'json', json: 'json',
};

export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export const postgresDialect: SqlDialect = {
  quote,
  typeName: (t) => TYPES[t],
  logicalOf: (reported) => REPORTED[reported.toLowerCase()],
  alterColumnType(table, column, from, to) {
    const c = quote(column);
    const using = to === 'json' ? `to_jsonb(${c})`
      : from === 'timestamp' && to === 'timestamp_tz' ? `${c} AT TIME ZONE 'UTC'`
      : `${c}::${TYPES[to]}`;
    return `ALTER TABLE ${table} ALTER COLUMN ${c} TYPE ${TYPES[to]} USING ${using}`;
  },
};
