import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { DestinationSchemaError, type ConfiguredAirbyteStream, type RecordEnvelope } from '../../protocol/index.js';
import {
  airbyteMeta, coerceValue, dropOldGenerationsStatement, META_COLUMNS, parseRecordData, planSchemaChange, planTable,
  type LogicalType, type TablePlan,
} from '../sdk/sql/index.js';
import type { PostgresOptions } from './postgres-config.js';
import { mergeStatements } from './merge-statements.js';
import { postgresDialect as d, quote } from './postgres-dialect.js';
import { postgresName, rawTableName } from './postgres-naming.js';
import { writeUuidV4 } from './write-uuid-v4.js';

const META_TYPES = ['varchar NOT NULL', 'timestamp with time zone NOT NULL', 'jsonb NOT NULL', 'bigint'];
const RAW_EXTRA = [['_airbyte_loaded_at', 'timestamp with time zone'], ['_airbyte_data', 'jsonb NOT NULL']] as const;

/**
 * One configured stream in PostgreSQL: the table the official destination-postgres 3.x writes
 * (typed columns plus the Airbyte columns, or the legacy raw table with `disable_type_dedupe`),
 * created or evolved at the start, and the rows of the current batch as COPY text. Where a batch
 * goes: append → the final table; overwrite → a table in the internal schema swapped in at the end;
 * dedup → a session temp table merged into the table at commit (see mergeStatements).
 */
export class PgStream {
  readonly plan: TablePlan;
  readonly schema: string;
  readonly name: string;
  /** Where COPY writes this batch's rows. */
  readonly copyTarget: string;
  /** Where the rows end up during the sync (the final table, or the overwrite table). */
  readonly loadTarget: string;
  rows = 0;
  #copySql = '';
  /** COPY text of the current chunk, encoded as it is formatted (no per-line strings kept alive). */
  #buf = Buffer.allocUnsafe(1 << 20);
  #chunkBytes = 0;
  /** `_airbyte_meta` of a row without changes, as COPY text. */
  #meta: string;
  #lastEmitted = NaN;
  #lastExtracted = '';

  constructor(configured: ConfiguredAirbyteStream, private readonly o: PostgresOptions, readonly index: number) {
    const planned = planTable(configured, { columnName: postgresName, maxIdentifierLength: 63 });
    const namespace = configured.stream.namespace ?? o.schema;
    if (o.rawTablesOnly) {
      // Raw tables mode keeps every record as JSON; official 3.0.4+ forces append instead of dedup.
      this.plan = { ...planned, columns: [], dedup: false, primaryKey: [], cursor: undefined };
      this.schema = postgresName(o.rawSchema.toLowerCase());
      this.name = postgresName(rawTableName(namespace, configured.stream.name).toLowerCase());
    } else {
      this.plan = planned;
      this.schema = postgresName(namespace);
      this.name = postgresName(configured.stream.name);
    }
    this.loadTarget = this.plan.truncate ? `${quote(postgresName(o.rawSchema.toLowerCase()))}.${quote(tempName(this.schema, this.name))}` : this.table;
    this.copyTarget = this.plan.dedup ? `pg_temp.${quote(`airdock_stage_${index}`)}` : this.loadTarget;
    this.#meta = copyText(airbyteMeta(this.plan.syncId));
    this.#planned = this.plan;
  }

  #planned: TablePlan;
  /** The plan after schema evolution (column types as the table holds them). */
  get effective(): TablePlan { return this.#planned; }

  get table(): string { return `${quote(this.schema)}.${quote(this.name)}`; }

  /** Creates schemas, the table (or evolves it), indexes, the overwrite table and the staging table. */
  async prepare(client: Client, log: (message: string) => Promise<void>): Promise<void> {
    const internal = postgresName(this.o.rawSchema.toLowerCase());
    for (const s of new Set([this.schema, ...(this.plan.truncate ? [internal] : [])])) await createSchema(client, s);
    await this.#createTable(client, this.table, this.name, false);
    if (!this.o.rawTablesOnly) this.#planned = await this.#evolve(client, log);
    if (this.plan.truncate) await this.#prepareOverwriteTable(client, internal);
    const cols = this.#copyColumns().map(quote).join(', ');
    this.#copySql = `COPY ${this.copyTarget} (${cols}) FROM STDIN`;
  }

  get copySql(): string { return this.#copySql; }

  /** What each connection that loads batches needs: the dedup stage (a temp table is per session). */
  async prepareSession(client: Client): Promise<void> {
    if (!this.plan.dedup) return;
    await client.query(`DROP TABLE IF EXISTS ${this.copyTarget}`);
    await client.query(`CREATE TEMP TABLE ${quote(`airdock_stage_${this.index}`)} (${this.#columnDefs(false).join(', ')})`);
  }

  #copyColumns(): string[] {
    return this.o.rawTablesOnly ? [...META_COLUMNS, ...RAW_EXTRA.map(([n]) => n)] : [...META_COLUMNS, ...this.#planned.columns.map((c) => c.name)];
  }

  #columnDefs(constraints: boolean): string[] {
    const meta = META_COLUMNS.map((n, i) => `${quote(n)} ${constraints ? META_TYPES[i] : META_TYPES[i]!.replace(' NOT NULL', '')}`);
    if (this.o.rawTablesOnly) return [...meta, ...RAW_EXTRA.map(([n, t]) => `${quote(n)} ${constraints ? t : t.replace(' NOT NULL', '')}`)];
    return [...meta, ...this.#planned.columns.map((c) => `${quote(c.name)} ${d.typeName(c.type)}`)];
  }

  async #createTable(client: Client, table: string, name: string, replace: boolean): Promise<void> {
    if (replace) await client.query(`DROP TABLE IF EXISTS ${table}${this.o.dropCascade ? ' CASCADE' : ''}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (${this.#columnDefs(true).join(', ')})`);
    // The official indexes: primary key and cursor for dedup streams, _airbyte_extracted_at always.
    if (this.plan.dedup) {
      await client.query(`CREATE INDEX IF NOT EXISTS ${quote(`idx_pk_${name}`)} ON ${table} (${this.plan.primaryKey.map(quote).join(', ')})`);
      if (this.plan.cursor) await client.query(`CREATE INDEX IF NOT EXISTS ${quote(`idx_cursor_${name}`)} ON ${table} (${quote(this.plan.cursor)})`);
    }
    await client.query(`CREATE INDEX IF NOT EXISTS ${quote(`idx_extracted_at_${name}`)} ON ${table} (${quote('_airbyte_extracted_at')})`);
  }

  /** New columns are added, widenings applied; a column that cannot take the new type stops the sync. */
  async #evolve(client: Client, log: (message: string) => Promise<void>): Promise<TablePlan> {
    const res = await client.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', [this.schema, this.name]);
    const change = planSchemaChange(new Map(res.rows.map((r) => [r.column_name, r.data_type])), this.plan.columns, d);
    if (change.conflicts.length > 0) {
      const c = change.conflicts[0]!;
      throw new DestinationSchemaError('A column cannot take the type the catalog now has', {
        context: { table: `${this.schema}.${this.name}`, column: c.column, tableType: c.table, catalogType: d.typeName(c.catalog) },
      });
    }
    if (change.add.length > 0 || change.widen.length > 0) {
      await client.query('BEGIN');
      for (const c of change.add) await client.query(`ALTER TABLE ${this.table} ADD COLUMN ${quote(c.name)} ${d.typeName(c.type)}`);
      for (const w of change.widen) await client.query(d.alterColumnType(this.table, w.column, w.from, w.to));
      await client.query('COMMIT');
      await log(`Table ${this.schema}.${this.name}: ${[...change.add.map((c) => `added ${c.name} ${d.typeName(c.type)}`), ...change.widen.map((w) => `widened ${w.column} to ${d.typeName(w.to)}`)].join(', ')}`);
    }
    for (const k of change.keep) await log(`Table ${this.schema}.${this.name}: column ${k.column} stays ${d.typeName(k.table)} (the catalog says ${d.typeName(k.catalog)}; nothing is narrowed)`);
    return { ...this.plan, columns: change.columns };
  }

  /** A table left by an attempt of this same generation is resumed; anything else starts over. */
  async #prepareOverwriteTable(client: Client, internal: string): Promise<void> {
    const exists = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [internal, tempName(this.schema, this.name)]);
    let resume = false;
    if (exists.rowCount) {
      const other = await client.query(`SELECT 1 FROM ${this.loadTarget} WHERE ${quote('_airbyte_generation_id')} IS DISTINCT FROM $1 LIMIT 1`, [this.plan.generationId]).catch(() => ({ rowCount: 1 }));
      resume = other.rowCount === 0;
    }
    if (!resume) await this.#createTable(client, this.loadTarget, tempName(this.schema, this.name), true);
  }

  /** One RECORD as a COPY text line; returns the bytes buffered for this stream. */
  append(raw: Buffer, env: RecordEnvelope): number {
    const emittedAt = Number(raw.toString('latin1', env.emittedAtRange[0], env.emittedAtRange[1]));
    if (emittedAt !== this.#lastEmitted) {
      this.#lastEmitted = emittedAt;
      this.#lastExtracted = new Date(emittedAt).toISOString();
    }
    const { data, lossless } = parseRecordData(raw.toString('utf8', env.dataRange[0], env.dataRange[1]));
    let changes: unknown[] | undefined;
    if (env.metaRange) {
      const source = (JSON.parse(raw.toString('utf8', env.metaRange[0], env.metaRange[1])) as { changes?: unknown[] } | null)?.changes;
      if (source?.length) changes = [...source];
    }
    let values = '';
    if (this.o.rawTablesOnly) {
      // The official raw formatter leaves out top-level nulls.
      for (const k of Object.keys(data)) if (data[k] === null) delete data[k];
      values = `\t\\N\t${copyText(coerceValue('json', data, lossless).text!)}`;
    } else {
      for (const c of this.#planned.columns) {
        const v = data[c.field];
        if (v === null || v === undefined) { values += '\t\\N'; continue; }
        const plain = plainText(c.type, v);
        if (plain !== undefined) { values += `\t${plain}`; continue; }
        const r = coerceValue(c.type, v, lossless);
        if (r.change) (changes ??= []).push({ field: c.field, ...r.change });
        values += r.text === null ? '\t\\N' : `\t${copyText(r.text)}`;
      }
    }
    const meta = changes ? copyText(airbyteMeta(this.plan.syncId, changes)) : this.#meta;
    const rest = `\t${this.#lastExtracted}\t${meta}\t${this.plan.generationId}${values}\n`;
    const max = 36 + rest.length * 3; // the id, then a UTF-8 bound without a scan
    if (this.#chunkBytes + max > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#chunkBytes + max));
      this.#buf.copy(grown, 0, 0, this.#chunkBytes);
      this.#buf = grown;
    }
    this.#chunkBytes += writeUuidV4(this.#buf, this.#chunkBytes);
    this.#chunkBytes += this.#buf.write(rest, this.#chunkBytes);
    this.rows++;
    return this.#chunkBytes;
  }

  /** The buffered COPY text, handed over (the buffer starts empty again). */
  take(): Buffer | undefined {
    if (this.#chunkBytes === 0) return undefined;
    const out = Buffer.from(this.#buf.subarray(0, this.#chunkBytes));
    this.#chunkBytes = 0;
    return out;
  }

  /** The rows appended since the last call: the size of the batch being committed. */
  takeRows(): number {
    const n = this.rows;
    this.rows = 0;
    return n;
  }

  /** Statements that end a batch of `rows` rows inside its transaction. */
  commitStatements(rows: number, final: boolean): string[] {
    const out: string[] = [];
    if (this.plan.dedup && rows > 0) {
      out.push(...MERGE_SETTINGS);
      out.push(...mergeStatements(this.#planned, this.copyTarget, this.loadTarget, { hardDelete: this.o.hardDelete }));
      out.push(`TRUNCATE ${this.copyTarget}`);
    }
    if (final) {
      if (this.plan.truncate) {
        out.push(`DROP TABLE IF EXISTS ${this.table}${this.o.dropCascade ? ' CASCADE' : ''}`);
        out.push(`ALTER TABLE ${this.loadTarget} RENAME TO ${quote(this.name)}`);
        const internal = postgresName(this.o.rawSchema.toLowerCase());
        if (internal !== this.schema) out.push(`ALTER TABLE ${quote(internal)}.${quote(this.name)} SET SCHEMA ${quote(this.schema)}`);
      }
      const old = dropOldGenerationsStatement(d, this.#planned, this.table);
      if (old) out.push(old);
    }
    return out;
  }
}

/**
 * For the merge of a batch into its table (this transaction only). The scratch table has no
 * statistics and the table grows during the sync, so PostgreSQL picked hash and merge joins that
 * read the whole table for every batch (a cost that grows with the table), and JIT-compiled them
 * (~0.2 s per statement). A batch is small next to its table: probing the primary-key index per
 * batch row is what stays flat. 1M rows into append_dedup: DELETE 830 → 137 ms per 100k batch.
 */
const MERGE_SETTINGS = ['SET LOCAL jit = off', 'SET LOCAL enable_hashjoin = off', 'SET LOCAL enable_mergejoin = off', "SET LOCAL work_mem = '64MB'"];

async function createSchema(client: Client, schema: string): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  // CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege on the database; skip it when the schema is there.
  if (!exists.rowCount) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
}

/**
 * The overwrite table's name, after the CDK's DefaultTempTableNameGenerator: the first and last 8
 * characters of namespace and name, then 31 hex characters of a SHA-256 (63 in all, PostgreSQL's limit).
 */
export function tempName(namespace: string, name: string): string {
  const short = (s: string) => (s.length <= 16 ? s : `${s.slice(0, 8)}${s.slice(-8)}`);
  const hash = createHash('sha256').update(rawTableName(namespace, `${name}_airbyte_tmp`)).digest('hex').slice(0, 31);
  return `${short(namespace)}${short(name)}${hash}`;
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Strings without a character COPY text escapes, or that coerceValue removes (NUL, and `\\u0000` in JSON text). */
const PLAIN_STRING = /^[^\\\n\r\t\u0000]*$/;

/**
 * The common values as COPY text without going through coerceValue (same result, no allocation):
 * plain strings, safe integers, finite numbers, booleans. Anything else (dates, JSON, a value that
 * may not fit, a string to escape) returns undefined and takes the general path.
 */
function plainText(type: LogicalType, v: unknown): string | undefined {
  switch (type) {
    case 'string': return typeof v === 'string' && PLAIN_STRING.test(v) ? v : undefined;
    case 'integer': return typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined;
    case 'number': return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
    case 'boolean': return v === true ? 't' : v === false ? 'f' : undefined;
    default: return undefined;
  }
}

/** A value in COPY's text format. */
function copyText(s: string): string {
  return COPY_SPECIAL.test(s) ? s.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!) : s;
}
