import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfigValidationError, type ConfiguredAirbyteStream } from '../../protocol/index.js';
import {
  META_COLUMNS, dropOldGenerationsStatement, insertStatement, planSchemaChange, planTable, upsertStatements, type TablePlan,
} from '../sdk/sql/index.js';
import { duckdbDialect, quote, tableName } from './duckdb-dialect.js';
import { checkedSelect, fastPathPossible, fastSelect } from './duckdb-select.js';

const NEWLINE = Buffer.from('\n');
const WRITE_AT = 1 << 20;

/** A sealed batch of one stream: its staged JSON lines file, loaded by one commit. */
export interface StagedBatch { stream: DuckdbStream; file: string; rows: number }

/**
 * One configured stream: its table (created or evolved), and the batch of RECORD lines staged in a
 * JSON lines file until a commit seals it and types it into the table (see duckdb-select); the next
 * batch is staged in a new file meanwhile. Overwrite streams load into `<table>_airbyte_tmp`,
 * swapped in at the end of the sync.
 */
export class DuckdbStream {
  readonly final: string;
  readonly target: string;
  #plan: TablePlan;
  #fd: number | undefined;
  #file = '';
  #files = 0;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #position = 0;
  #rows = 0;

  private constructor(private readonly conn: DuckDBConnection, private readonly schema: string, plan: TablePlan, private readonly stagingDir: string, private readonly index: number) {
    this.#plan = plan;
    this.final = tableName(plan.stream);
    this.target = plan.truncate ? `${this.final}_airbyte_tmp` : this.final;
  }

  static async open(conn: DuckDBConnection, schema: string, configured: ConfiguredAirbyteStream, stagingDir: string, index: number): Promise<DuckdbStream> {
    const plan = planTable(configured, { columnName: (f) => f });
    const s = new DuckdbStream(conn, schema, plan, stagingDir, index);
    await s.#prepare();
    return s;
  }

  get plan(): TablePlan { return this.#plan; }
  get name(): string { return this.#plan.stream; }
  get namespace(): string | undefined { return this.#plan.namespace; }
  /** An overwrite: the sync fills a side table that replaces the final one at the end. */
  get replaces(): boolean { return this.target !== this.final; }

  #table(name: string): string { return `${quote(this.schema)}.${quote(name)}`; }

  async #prepare(): Promise<void> {
    const d = duckdbDialect;
    await this.conn.run(`CREATE SCHEMA IF NOT EXISTS ${quote(this.schema)}`);
    if (this.#plan.truncate) await this.#dropStaleTmp();
    const meta = ['VARCHAR', 'TIMESTAMPTZ', 'JSON', 'BIGINT'].map((t, i) => `${quote(META_COLUMNS[i]!)} ${t}`);
    const cols = this.#plan.columns.map((c) => `${quote(c.name)} ${d.typeName(c.type)}`);
    await this.conn.run(`CREATE TABLE IF NOT EXISTS ${this.#table(this.target)} (${[...meta, ...cols].join(', ')})`);
    const reader = await this.conn.runAndReadAll(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ${lit(this.schema)} AND table_name = ${lit(this.target)}`,
    );
    const existing = new Map(reader.getRows().map(([n, t]) => [String(n), String(t)]));
    const change = planSchemaChange(existing, this.#plan.columns, d);
    if (change.conflicts.length > 0) {
      const c = change.conflicts[0]!;
      throw new ConfigValidationError([{ path: `/streams/${this.#plan.stream}/${c.column}`, message: `column ${c.column} is ${c.table} in table ${this.target} and cannot hold the catalog's ${c.catalog}; drop the column or the table, or run the stream with overwrite` }]);
    }
    for (const c of change.add) await this.conn.run(`ALTER TABLE ${this.#table(this.target)} ADD COLUMN ${quote(c.name)} ${d.typeName(c.type)}`);
    for (const w of change.widen) await this.conn.run(d.alterColumnType(this.#table(this.target), w.column, w.from, w.to));
    this.#plan = { ...this.#plan, columns: change.columns };
  }

  /** A leftover tmp table of another generation (an earlier failed sync) is not this sync's. */
  async #dropStaleTmp(): Promise<void> {
    const exists = await this.conn.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_schema = ${lit(this.schema)} AND table_name = ${lit(this.target)}`);
    if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return;
    const other = await this.conn.runAndReadAll(`SELECT count(*) FROM ${this.#table(this.target)} WHERE _airbyte_generation_id IS DISTINCT FROM ${Number(this.#plan.generationId)}`)
      .catch(() => undefined);
    if (!other || Number(other.getRows()[0]?.[0] ?? 1) > 0) await this.conn.run(`DROP TABLE ${this.#table(this.target)}`);
  }

  append(raw: Buffer): void {
    this.#chunks.push(raw, NEWLINE);
    this.#buffered += raw.length + 1;
    this.#rows++;
    if (this.#buffered >= WRITE_AT) this.#write();
  }

  /**
   * Lines as they arrived (each ending in a newline), `count` records: a run is most of a read chunk,
   * so it is written at once rather than gathered (held views keep whole chunks alive for the GC).
   */
  appendLines(lines: Buffer, count: number): void {
    this.#rows += count;
    if (this.#buffered > 0) this.#write();
    this.#writeOut(lines);
  }

  #write(): void {
    if (this.#buffered === 0) return;
    const data = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [];
    this.#buffered = 0;
    this.#writeOut(data);
  }

  #writeOut(data: Buffer): void {
    if (this.#fd === undefined) {
      this.#file = join(this.stagingDir, `stream-${this.index}-${this.#files++}.jsonl`);
      this.#fd = openSync(this.#file, 'w');
      this.#position = 0;
    }
    let off = 0;
    while (off < data.length) off += writeSync(this.#fd, data, off, data.length - off, this.#position + off);
    this.#position += data.length;
  }

  /** Ends the batch being staged (synchronously: the next records go to a new file). */
  seal(): StagedBatch | undefined {
    if (this.#rows === 0) return undefined;
    this.#write();
    closeSync(this.#fd!);
    const batch = { stream: this, file: this.#file, rows: this.#rows };
    this.#fd = undefined;
    this.#rows = 0;
    return batch;
  }

  /** The statements that move a staged batch into the table; `checked` types value by value. */
  loadStatements(batch: StagedBatch, checked: boolean): string[] {
    const p = this.#plan;
    const source = checked || !fastPathPossible(p) ? checkedSelect(p, batch.file) : fastSelect(p, batch.file);
    if (!p.dedup) return [insertStatement(duckdbDialect, p, source, this.#table(this.target))];
    return upsertStatements(duckdbDialect, p, source, this.#table(this.target), quote(`airdock_dedup_${this.index}`), { hardDelete: true });
  }

  /**
   * After the sync's last batch: replace the final table, drop older generations. When the source
   * did not finish the stream (`complete` false) an overwrite keeps the old table: the side table
   * is dropped, no generation is removed.
   */
  finishStatements(complete: boolean): string[] {
    const out: string[] = [];
    if (!complete) return this.replaces ? [`DROP TABLE IF EXISTS ${this.#table(this.target)}`] : [];
    if (this.target !== this.final) {
      out.push(`DROP TABLE IF EXISTS ${this.#table(this.final)}`, `ALTER TABLE ${this.#table(this.target)} RENAME TO ${quote(this.final)}`);
    }
    const old = dropOldGenerationsStatement(duckdbDialect, this.#plan, this.#table(this.final));
    if (old) out.push(old);
    return out;
  }

  close(): void {
    if (this.#fd !== undefined) try { closeSync(this.#fd); } catch { /* already closed */ }
    this.#fd = undefined;
  }
}

/** A loaded batch's file is not needed any more. */
export function removeBatch(batch: StagedBatch): void {
  rmSync(batch.file, { force: true });
}

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
