import { randomUUID } from 'node:crypto';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { ConfiguredAirbyteStream } from '../../protocol/index.js';
import { META_COLUMNS, planColumns, quoteIdent, tableName, type ColumnKind } from './column-plan.js';

const TS_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/**
 * One configured stream's table. Records are appended with the Appender (the fast path); `flush`
 * makes them durable. Overwrite streams write into a side table swapped in by `finish`, so a failed
 * sync keeps the previous data.
 */
export class StreamTable {
  readonly final: string;
  readonly target: string;
  #appender: DuckDBAppender | undefined;
  #fits: boolean[] = [];
  #columns: { name: string; kind: ColumnKind | undefined }[] = [];
  readonly #generation: number;
  readonly #meta: string;
  #lastEmittedAt = NaN;
  #lastExtractedAt = '';

  private constructor(private readonly conn: DuckDBConnection, private readonly schema: string, readonly stream: ConfiguredAirbyteStream) {
    this.final = tableName(stream.stream.name);
    this.target = stream.destination_sync_mode === 'overwrite' ? `${this.final}__airdock_tmp` : this.final;
    this.#generation = stream.generation_id ?? 0;
    this.#meta = JSON.stringify({ changes: [], ...(stream.sync_id === undefined ? {} : { sync_id: stream.sync_id }) });
  }

  static async open(conn: DuckDBConnection, schema: string, stream: ConfiguredAirbyteStream): Promise<StreamTable> {
    const t = new StreamTable(conn, schema, stream);
    await t.#prepare();
    return t;
  }

  async #prepare(): Promise<void> {
    const plan = planColumns(this.stream.stream.json_schema);
    const cols = [...META_COLUMNS, ...plan].map((c) => `${quoteIdent(c.name)} ${c.sqlType}`).join(', ');
    const full = `${quoteIdent(this.schema)}.${quoteIdent(this.target)}`;
    await this.conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`);
    if (this.target !== this.final) await this.conn.run(`DROP TABLE IF EXISTS ${full}`);
    await this.conn.run(`CREATE TABLE IF NOT EXISTS ${full} (${cols})`);
    // A table from an older schema keeps its columns; new properties are added.
    for (const c of plan) await this.conn.run(`ALTER TABLE ${full} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${c.sqlType}`);
    const reader = await this.conn.runAndReadAll(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = '${this.schema.replace(/'/g, "''")}' AND table_name = '${this.target.replace(/'/g, "''")}' ORDER BY ordinal_position`,
    );
    const kinds = new Map(plan.map((c) => [c.name, c.kind]));
    this.#columns = reader.getRows().map(([name]) => ({ name: String(name), kind: kinds.get(String(name)) }));
    this.#appender = await this.conn.createAppender(this.target, this.schema);
  }

  append(data: Record<string, unknown>, emittedAt: number, sourceChanges?: readonly unknown[]): void {
    const a = this.#appender!;
    // Values that do not fit their column are nulled and reported in _airbyte_meta, as Airbyte does;
    // the check runs first because _airbyte_meta precedes the data columns.
    let meta = this.#meta;
    // Changes the source (or the SDK, for invalid UTF-8) made to the record come first.
    let changes: unknown[] | undefined = sourceChanges && sourceChanges.length > 0 ? [...sourceChanges] : undefined;
    const columns = this.#columns;
    // Decided once per column: the fit check (a regex for timestamps) is the costly part of a row.
    const fits = this.#fits;
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      const v = col.kind === undefined ? null : data[col.name];
      fits[i] = v === null || v === undefined || accepts(col.kind!, v);
      if (!fits[i]) (changes ??= []).push({ field: col.name, change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' });
    }
    if (changes) meta = JSON.stringify({ ...JSON.parse(this.#meta), changes });
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      switch (col.name) {
        case '_airbyte_raw_id': a.appendVarchar(randomUUID()); continue;
        case '_airbyte_extracted_at':
          if (emittedAt !== this.#lastEmittedAt) { this.#lastEmittedAt = emittedAt; this.#lastExtractedAt = new Date(emittedAt).toISOString(); }
          a.appendVarchar(this.#lastExtractedAt);
          continue;
        case '_airbyte_meta': a.appendVarchar(meta); continue;
        case '_airbyte_generation_id': a.appendDouble(this.#generation); continue;
      }
      const v = col.kind === undefined ? null : data[col.name];
      if (v === null || v === undefined || !fits[i]) a.appendNull();
      else appendValue(a, col.kind!, v);
    }
    a.endRow();
  }

  /** Makes everything appended so far durable (the Appender commits on flush). */
  flush(): void {
    this.#appender?.flushSync();
  }

  /** Ends the sync for this stream: swap overwrite tables, dedup, drop old generations. */
  async finish(): Promise<void> {
    this.#appender?.flushSync();
    this.#appender?.closeSync();
    this.#appender = undefined;
    const s = quoteIdent(this.schema);
    const final = `${s}.${quoteIdent(this.final)}`;
    if (this.target !== this.final) {
      await this.conn.run('BEGIN TRANSACTION');
      await this.conn.run(`DROP TABLE IF EXISTS ${final}`);
      await this.conn.run(`ALTER TABLE ${s}.${quoteIdent(this.target)} RENAME TO ${quoteIdent(this.final)}`);
      await this.conn.run('COMMIT');
    }
    const min = this.stream.minimum_generation_id ?? 0;
    if (min > 0 && this.target === this.final) {
      await this.conn.run(`DELETE FROM ${final} WHERE _airbyte_generation_id < ${Number(min)}`);
    }
    if (this.stream.destination_sync_mode === 'append_dedup' && (this.stream.primary_key?.length ?? 0) > 0) {
      const pk = this.stream.primary_key!.map((p) => quoteIdent(p[0]!)).join(', ');
      const cursor = this.stream.cursor_field?.[0];
      const order = `${cursor ? `${quoteIdent(cursor)} DESC NULLS LAST, ` : ''}_airbyte_extracted_at DESC`;
      // Latest cursor wins, ties by extraction time. Deleting only the losers (found on the key and
      // cursor columns) is far cheaper than rewriting the table when few rows are duplicated.
      await this.conn.run(`DELETE FROM ${final} WHERE rowid IN (SELECT rid FROM (SELECT rowid AS rid, row_number() OVER (PARTITION BY ${pk} ORDER BY ${order}) AS rn FROM ${final}) WHERE rn > 1)`);
    }
  }

  close(): void {
    try { this.#appender?.closeSync(); } catch { /* already failed; the connection closes next */ }
    this.#appender = undefined;
  }
}

function accepts(kind: ColumnKind, v: unknown): boolean {
  switch (kind) {
    case 'int': return typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' && /^-?\d+$/.test(v);
    case 'num': return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
    case 'bool': return typeof v === 'boolean';
    case 'ts': case 'tstz': case 'date': return typeof v === 'string' && TS_RE.test(v);
    case 'str': case 'json': return true;
  }
}

function appendValue(a: DuckDBAppender, kind: ColumnKind, v: unknown): void {
  switch (kind) {
    case 'int': case 'num':
      if (typeof v === 'number') a.appendDouble(v);
      else a.appendVarchar(String(v));
      return;
    case 'bool': a.appendBoolean(v as boolean); return;
    case 'ts': case 'tstz': case 'date': case 'str': a.appendVarchar(typeof v === 'string' ? v : JSON.stringify(v)); return;
    case 'json': a.appendVarchar(JSON.stringify(v)); return;
  }
}
