import type { LogicalType } from './logical-type.js';

/** What the shared SQL statements need to know about a database. */
export interface SqlDialect {
  /** A quoted identifier. */
  quote(identifier: string): string;
  /** The column type for a logical type (e.g. PostgreSQL `bigint`, DuckDB `BIGINT`). */
  typeName(type: LogicalType): string;
  /** The logical type of a column type as the database reports it, or undefined when unknown. */
  logicalOf(reportedType: string): LogicalType | undefined;
  /** ALTER ... TYPE for a widening (only called for pairs `canWiden` accepts). */
  alterColumnType(table: string, column: string, from: LogicalType, to: LogicalType): string;
}

/** Column types that can be changed in place without losing values: from → to. */
const WIDER: Record<LogicalType, readonly LogicalType[]> = {
  integer: ['number', 'string', 'json'],
  number: ['string', 'json'],
  boolean: ['string', 'json'],
  date: ['timestamp', 'timestamp_tz', 'string', 'json'],
  timestamp: ['timestamp_tz', 'string', 'json'],
  timestamp_tz: ['string', 'json'],
  time: ['time_tz', 'string', 'json'],
  time_tz: ['string', 'json'],
  string: ['json'],
  json: [],
};

export function canWiden(from: LogicalType, to: LogicalType): boolean {
  return WIDER[from].includes(to);
}
