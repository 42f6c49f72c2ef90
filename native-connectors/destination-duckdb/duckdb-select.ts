import { airbyteMeta, META_COLUMNS, type LogicalType, type TablePlan } from '../sdk/sql/index.js';
import { duckdbDialect, quote } from './duckdb-dialect.js';

/**
 * The SELECTs that type a batch of staged RECORD lines (a JSON lines file) into a table's columns,
 * in DuckDB's vectorised JSON reader: the lines are never parsed in JavaScript.
 *
 * `fastSelect` reads `data` straight into typed struct fields. DuckDB's reader fails the whole read on
 * a value that does not fit (a string in a BIGINT field, 2.5 for an integer, 1e400), which is the
 * signal to run `checkedSelect` for that batch: it reads each field as JSON, types it by the shared
 * rules (see coerceValue) and nulls what does not fit, listing it in `_airbyte_meta.changes`. Booleans
 * are read as JSON in both, because DuckDB's reader would silently turn "yes" or 1 into true.
 */
export function fastSelect(plan: TablePlan, file: string): string {
  const fields = plan.columns.map((c) => `${quote(c.field)} ${c.type === 'boolean' ? 'JSON' : duckdbDialect.typeName(c.type)}`);
  const data = fields.length > 0 ? `STRUCT(${fields.join(', ')})` : 'JSON';
  const values = plan.columns.map((c) => `${c.type === 'boolean' ? strictBoolean(`r.data.${quote(c.field)}`) : `r.data.${quote(c.field)}`} AS ${quote(c.name)}`);
  return `(SELECT ${[...metaValues(plan), ...values].join(', ')} FROM ${reader(file, data)}) AS src`;
}

/** Whether the fast path can read this plan: struct field names are case-insensitive in DuckDB. */
export function fastPathPossible(plan: TablePlan): boolean {
  return new Set(plan.columns.map((c) => c.field.toLowerCase())).size === plan.columns.length;
}

export function checkedSelect(plan: TablePlan, file: string): string {
  const cols = plan.columns;
  const paths = cols.map((c) => literal(`$.${JSON.stringify(c.field)}`)).join(', ');
  const typed = cols.map((c, i) => `${typedValue(c.type, `v[${i + 1}]`)} AS ${quote(c.name)}`);
  const misfit = cols.map((c, i) => `CASE WHEN v[${i + 1}] IS NOT NULL AND json_type(v[${i + 1}]) <> 'NULL' AND ${quote(c.name)} IS NULL THEN ${literal(c.field)} END`);
  const change = `f -> json_object('field', f, 'change', 'NULLED', 'reason', 'DESTINATION_TYPECAST_ERROR')`;
  const source = `COALESCE(from_json(src_changes, '["JSON"]'), [])`;
  const meta = `CASE WHEN len(bad) = 0 AND src_changes IS NULL THEN ${literal(airbyteMeta(plan.syncId))}::JSON ELSE json_object(${syncIdArgs(plan)}'changes', to_json(list_concat(${source}, list_transform(bad, ${change})))) END`;
  const names = cols.map((c) => quote(c.name));
  return `(SELECT _airbyte_raw_id, _airbyte_extracted_at, ${meta} AS _airbyte_meta, _airbyte_generation_id${names.map((n) => `, ${n}`).join('')} FROM (`
    + `SELECT *, list_filter([${misfit.length > 0 ? misfit.join(', ') : 'NULL'}], x -> x IS NOT NULL) AS bad FROM (`
    + `SELECT _airbyte_raw_id, _airbyte_extracted_at, _airbyte_generation_id, src_changes, v${typed.map((t) => `, ${t}`).join('')} FROM (`
    + `SELECT uuid()::VARCHAR AS _airbyte_raw_id, to_timestamp(r.emitted_at / 1000.0) AS _airbyte_extracted_at, ${Number(plan.generationId)}::BIGINT AS _airbyte_generation_id, `
    + `(r.meta->'changes') AS src_changes, ${cols.length > 0 ? `json_extract(r.data, [${paths}])` : '[]::JSON[]'} AS v FROM ${reader(file, 'JSON')})))) AS src`;
}

function metaValues(plan: TablePlan): string[] {
  const constant = `${literal(airbyteMeta(plan.syncId))}::JSON`;
  return [
    `uuid()::VARCHAR AS ${quote(META_COLUMNS[0])}`,
    `to_timestamp(r.emitted_at / 1000.0) AS ${quote(META_COLUMNS[1])}`,
    `CASE WHEN (r.meta->'changes') IS NULL THEN ${constant} ELSE json_object(${syncIdArgs(plan)}'changes', (r.meta->'changes')) END AS ${quote(META_COLUMNS[2])}`,
    `${Number(plan.generationId)}::BIGINT AS ${quote(META_COLUMNS[3])}`,
  ];
}

function syncIdArgs(plan: TablePlan): string {
  return plan.syncId === undefined ? '' : `'sync_id', ${Number(plan.syncId)}, `;
}

/**
 * `records='true'` says each line is an object whose keys are the columns: with the default ('auto')
 * DuckDB's reader decides that from the lines themselves, which cost as much again as the parsing
 * (0.25 against 0.14 CPU-s for 200k faker users; more per row on small batches).
 */
function reader(file: string, data: string): string {
  const record = `STRUCT(emitted_at DOUBLE, meta JSON, data ${data})`;
  return `(SELECT record AS r FROM read_ndjson(${literal(file)}, columns={record: ${literal(record)}}, format='newline_delimited', records='true', maximum_object_size=1073741824))`;
}

/** A JSON value that is not a boolean fails the fast read, so the checked one reports it. */
function strictBoolean(v: string): string {
  return `CASE WHEN ${v} IS NULL OR json_type(${v}) = 'NULL' THEN NULL WHEN json_type(${v}) = 'BOOLEAN' THEN ${v}::BOOLEAN ELSE error('airdock: not a boolean') END`;
}

const NUMBER_TEXT = "'^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$'";

function typedValue(type: LogicalType, v: string): string {
  const t = `json_type(${v})`;
  const text = `(${v}->>'$')`;
  switch (type) {
    case 'integer': {
      const d = `TRY_CAST(${v} AS DOUBLE)`;
      const s = `TRY_CAST(${text} AS DECIMAL(38,9))`;
      return `CASE ${t} WHEN 'BIGINT' THEN TRY_CAST(${v} AS BIGINT) WHEN 'UBIGINT' THEN TRY_CAST(${v} AS BIGINT) `
        + `WHEN 'DOUBLE' THEN CASE WHEN ${d} = trunc(${d}) THEN TRY_CAST(${d} AS BIGINT) END `
        + `WHEN 'VARCHAR' THEN CASE WHEN regexp_full_match(${text}, ${NUMBER_TEXT}) AND ${s} = trunc(${s}) THEN TRY_CAST(${s} AS BIGINT) END END`;
    }
    case 'number': {
      const d = `TRY_CAST(${text} AS DOUBLE)`;
      return `CASE WHEN (${t} IN ('BIGINT', 'UBIGINT', 'DOUBLE') OR (${t} = 'VARCHAR' AND regexp_full_match(${text}, ${NUMBER_TEXT}))) AND isfinite(${d}) THEN ${d} END`;
    }
    case 'boolean': return `CASE WHEN ${t} = 'BOOLEAN' THEN ${v}::BOOLEAN END`;
    case 'string': return `CASE ${t} WHEN 'VARCHAR' THEN ${text} WHEN 'NULL' THEN NULL ELSE ${v}::VARCHAR END`;
    case 'json': return `CASE WHEN ${t} <> 'NULL' THEN ${v} END`;
    default: return `CASE WHEN ${t} = 'VARCHAR' THEN TRY_CAST(${text} AS ${duckdbDialect.typeName(type)}) END`;
  }
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

