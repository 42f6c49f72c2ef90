import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Properties, PropertySchema } from './json-schema-types.js';
import { localCopy } from './local-copy.js';
import { RawJson } from './raw-json.js';
import { Slots } from './slots.js';
import type { ParquetFormat } from './source-config.js';

/**
 * Parquet through DuckDB (already a dependency; it reads every codec: snappy, gzip, zstd, lz4,
 * brotli). The object is streamed to a temporary file (Parquet needs its footer first), then read
 * row group by row group; DuckDB renders each row as JSON with values converted the way the official
 * parser (pyarrow) outputs them: timestamps and dates as ISO strings, decimals as strings (or numbers
 * with decimal_as_float), binary as UTF-8 text, structs and maps as objects, lists as arrays.
 */
/**
 * Parquet files decoded at once by this process, whatever `parallelism` is (other objects still
 * download meanwhile). Each decode holds 50-70 MB outside DuckDB's memory limit: measured on 200k
 * faker users, one file peaks at 204 MB, two at once 255 MB, four at once 349 MB; five files read
 * with parallelism 4 peaked at 339-384 MB, and at 222-246 MB in 4 of 5 runs with this limit.
 */
const decoding = new Slots(2);

/** DuckDB on a local copy of the object: one thread, bounded memory, timestamps rendered in UTC. */
async function openParquet(bytes: AsyncIterable<Buffer>): Promise<{ conn: DuckDBConnection; path: string } & AsyncDisposable> {
  const file = await localCopy(bytes, 'object.parquet');
  const release = await decoding.acquire();
  let db: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  try {
    db = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '128MB' });
    conn = await db.connect();
    await conn.run("SET TimeZone = 'UTC'");
    // A streamed result runs ahead of the reader by this much (default ~1 MB, yet measured: peak RSS
    // 270 MB reading 200k rows as JSON, 196 MB with it this small, at the same speed).
    await conn.run("SET streaming_buffer_size = '1KB'");
  } catch (e) {
    conn?.closeSync();
    db?.closeSync();
    release();
    await file[Symbol.asyncDispose]();
    throw e;
  }
  return {
    conn,
    path: file.path,
    async [Symbol.asyncDispose]() { conn.closeSync(); db.closeSync(); release(); await file[Symbol.asyncDispose](); },
  };
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function columns(conn: DuckDBConnection, path: string): Promise<{ name: string; type: string }[]> {
  const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${q(path)})`);
  return r.getRows().map((row) => ({ name: String(row[0]), type: String(row[1]) }));
}

/** `key=value` folders of the object's key, as the official parser adds them (string columns). */
function partitions(key: string): [string, string][] {
  return key.split('/').filter((p) => p.includes('=')).map((p) => { const d = decodeURIComponent(p); const i = d.indexOf('='); return [d.slice(0, i), d.slice(i + 1)]; });
}

function schemaOf(type: string, f: ParquetFormat): PropertySchema {
  const t = type.toUpperCase();
  if (t.startsWith('TIMESTAMP')) return { type: 'string', format: 'date-time' };
  if (t === 'DATE') return { type: 'string', format: 'date' };
  if (t.startsWith('DECIMAL')) return { type: f.decimal_as_float ? 'number' : 'string' };
  if (t.endsWith('[]') || /\[\d+\]$/.test(t)) return { type: 'array' };
  if (t.startsWith('STRUCT') || t.startsWith('MAP') || t.startsWith('UNION')) return { type: 'object' };
  if (['BOOLEAN'].includes(t)) return { type: 'boolean' };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INTERVAL)$/.test(t)) return { type: 'integer' };
  if (t === 'FLOAT' || t === 'DOUBLE') return { type: 'number' };
  if (t === '"NULL"' || t === 'NULL') return { type: 'null' };
  return { type: 'string' };
}

/** A select-list item rendering one column as the official parser would output it. */
function outputExpr(name: string, type: string, f: ParquetFormat): string {
  const c = ident(name);
  const t = type.toUpperCase();
  const iso = (fmt: string, suffix = '') => `regexp_replace(strftime(${c}, ${q(fmt)}), '\\.000000$', '') || ${q(suffix)}`;
  if (t === 'TIMESTAMP WITH TIME ZONE') return `${iso('%Y-%m-%dT%H:%M:%S.%f', '+00:00')} AS ${c}`;
  if (t.startsWith('TIMESTAMP')) return `${iso('%Y-%m-%dT%H:%M:%S.%f')} AS ${c}`;
  if (t === 'DATE') return `CAST(${c} AS VARCHAR) AS ${c}`;
  if (t.startsWith('TIME')) return `CAST(${c} AS VARCHAR) AS ${c}`;
  if (t.startsWith('DECIMAL')) return f.decimal_as_float ? `CAST(${c} AS DOUBLE) AS ${c}` : `CAST(${c} AS VARCHAR) AS ${c}`;
  if (t === 'BLOB') return `decode(${c}) AS ${c}`;
  if (t === 'UUID') return `CAST(${c} AS VARCHAR) AS ${c}`;
  return c;
}

export async function inferParquetSchema(bytes: AsyncIterable<Buffer>, key: string, f: ParquetFormat): Promise<Properties> {
  await using p = await openParquet(bytes);
  const out: Properties = {};
  for (const col of await columns(p.conn, p.path)) out[col.name] = schemaOf(col.type, f);
  for (const [k] of partitions(key)) out[k] = { type: 'string' };
  return out;
}

export async function* parquetRows(bytes: AsyncIterable<Buffer>, key: string, f: ParquetFormat): AsyncGenerator<RawJson> {
  await using p = await openParquet(bytes);
  const cols = await columns(p.conn, p.path);
  const select = [...cols.map((c) => outputExpr(c.name, c.type, f)), ...partitions(key).map(([k, v]) => `${q(v)} AS ${ident(k)}`)];
  const result = await p.conn.stream(`SELECT CAST(to_json(t) AS VARCHAR) FROM (SELECT ${select.join(', ')} FROM read_parquet(${q(p.path)})) t`);
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (const [json] of chunk.getRows()) yield new RawJson(String(json));
  }
}
