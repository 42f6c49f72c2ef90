/**
 * What every SQL destination shares (`airdock/sdk`): the type plan of a stream from its JSON schema
 * and airbyte_type, naming with collision suffixes, value coercion with `_airbyte_meta.changes`,
 * schema evolution, and the append / dedup / generation statements. Batching and the STATE barrier
 * are `writeWithBarrier`. Used by DuckDB and PostgreSQL.
 */
export { logicalType, type LogicalType } from './logical-type.js';
export { planTable, META_COLUMNS, CDC_DELETED_AT, type TablePlan, type ColumnPlan, type NamingRules } from './table-plan.js';
export { coerceValue, type ValueChange } from './coerce-value.js';
export { parseRecordData } from './parse-record-data.js';
export { canWiden, type SqlDialect } from './sql-dialect.js';
export { planSchemaChange, type SchemaChange } from './schema-change.js';
export { columnList, insertStatement, upsertStatements, dropOldGenerationsStatement } from './sql-statements.js';
export { airbyteMeta } from './airbyte-meta.js';
