/** What a live look at a PostgreSQL server tells the suggestion rules. */
export interface PostgresTable {
  schema: string;
  name: string;
  /** The planner's estimate (pg_class.reltuples, else pg_stat live tuples). */
  rows: number;
  bytes: number;
  primaryKey: string[];
  /** Timestamp columns named like a change marker (updated_at, modified_at...). */
  cursorCandidates: string[];
}

export interface PostgresFacts {
  ssl: boolean;
  /** The session's statement_timeout in ms; 0 means none. */
  statementTimeoutMs: number;
  walLevel: string;
  tables: PostgresTable[];
  publications: string[];
  slots: string[];
}
