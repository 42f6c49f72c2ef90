import { randomUUID } from 'node:crypto';
import type { ClickHouseSettings } from '@clickhouse/client';
import type { AirbyteRecordMessage, ConfiguredAirbyteStream } from '../../protocol/index.js';
import { chCommand, chRows, type OpenedClickHouse } from '../sdk/clickhouse/open-clickhouse.js';
import { toServiceError } from '../sdk/clickhouse/to-service-error.js';
import { quoteIdent } from '../sdk/clickhouse/quote-ident.js';
import { clickhouseName } from './clickhouse-name.js';
import { AIRBYTE_COLUMNS, isVersionKind, kindForExistingType, nullableType, planColumns, valueKind, type ColumnPlan } from './column-plan.js';
import type { ResolvedDestinationConfig } from './destination-config.js';
import { encoderFor, reasonOf, type Encoder } from './encode-value.js';
import { StreamingInsert } from './streaming-insert.js';

/** Inserts sent but not yet acknowledged, per stream, before appending waits for the oldest. */
const MAX_IN_FLIGHT = 2;
/** An insert is ended after this long even without a STATE, so no request stays open for minutes. */
const MAX_INSERT_AGE_MS = 30_000;

interface Change { field: string; change: 'NULLED'; reason: string }

/**
 * One configured stream's table, laid out as the official destination 2.x lays it out: the Airbyte
 * columns, then one typed column per property; MergeTree ordered by _airbyte_raw_id (append, overwrite)
 * or ReplacingMergeTree(version) ordered by the primary key (append_dedup), the version being the cursor
 * when it is an integer, date or timestamp column, else _airbyte_extracted_at. Overwrite (and any
 * truncating refresh) writes a side table `<name>_airbyte_tmp` that EXCHANGE TABLES swaps in at the end,
 * so readers see the old rows until then.
 */
export class StreamTable {
  readonly database: string;
  readonly final: string;
  readonly target: string;
  readonly truncate: boolean;
  readonly dedup: boolean;
  #columns: (ColumnPlan & { encode: Encoder })[] = [];
  #insertQuery = '';
  #current: StreamingInsert | undefined;
  readonly #inFlight: Promise<void>[] = [];
  readonly #generation: number;
  readonly #metaPlain: string;
  readonly #syncId: number | undefined;
  #lastEmittedAt = NaN;
  #lastExtractedAt = '';
  rowsWritten = 0;

  private constructor(
    private readonly ch: OpenedClickHouse,
    private readonly cfg: ResolvedDestinationConfig,
    readonly stream: ConfiguredAirbyteStream,
    private readonly signal: AbortSignal,
  ) {
    this.database = clickhouseName(stream.stream.namespace ?? cfg.database);
    this.final = clickhouseName(stream.stream.name);
    const gen = stream.generation_id ?? 0;
    const min = stream.minimum_generation_id ?? 0;
    this.truncate = stream.destination_sync_mode === 'overwrite' || (min > 0 && min === gen);
    this.dedup = stream.destination_sync_mode === 'append_dedup' && (stream.primary_key?.length ?? 0) > 0;
    this.target = this.truncate ? `${this.final}_airbyte_tmp` : this.final;
    this.#generation = gen;
    this.#syncId = stream.sync_id ?? undefined;
    this.#metaPlain = JSON.stringify(JSON.stringify({ ...(this.#syncId === undefined ? {} : { sync_id: this.#syncId }), changes: [] }));
  }

  static async open(ch: OpenedClickHouse, cfg: ResolvedDestinationConfig, stream: ConfiguredAirbyteStream, signal: AbortSignal): Promise<StreamTable> {
    const t = new StreamTable(ch, cfg, stream, signal);
    await t.#prepare();
    return t;
  }

  #doing(what: string) { return { password: this.cfg.config.password, doing: `${what} ${this.database}.${this.target}`, signal: this.signal }; }
  #full(table: string) { return `${quoteIdent(this.database)}.${quoteIdent(table)}`; }

  async #prepare(): Promise<void> {
    const pk = (this.stream.primary_key ?? []).map((p) => p[0]!).filter(Boolean);
    const cursor = this.stream.cursor_field?.[0];
    const props = (this.stream.stream.json_schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
    // The cursor versions the rows when it is an integer, date or timestamp; CDC's LSN is null in snapshots.
    const versioned = this.dedup && cursor !== undefined && cursor in props && cursor !== '_ab_cdc_lsn' && isVersionKind(valueKind(props[cursor], this.cfg.enableJson));
    const notNull = new Set(this.dedup ? [...pk, ...(versioned ? [cursor] : [])] : []);
    const plan = planColumns(this.stream.stream.json_schema, { enableJson: this.cfg.enableJson, notNull });
    const nameOf = (field: string) => plan.find((c) => c.field === field)?.name ?? clickhouseName(field);
    const version = versioned ? plan.find((c) => c.field === cursor) : undefined;

    const engine = this.dedup ? `ReplacingMergeTree(${version ? quoteIdent(version.name) : '_airbyte_extracted_at'})` : 'MergeTree()';
    const orderBy = this.dedup ? pk.map((f) => quoteIdent(nameOf(f))).join(', ') : '_airbyte_raw_id';
    const cols = [...AIRBYTE_COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.type}`), ...plan.map((c) => `${quoteIdent(c.name)} ${nullableType(c)}`)];
    const create = (table: string) => chCommand(this.ch, `CREATE TABLE IF NOT EXISTS ${this.#full(table)} (\n  ${cols.join(',\n  ')}\n) ENGINE = ${engine}\nORDER BY (${orderBy})`, this.#doing('create table'));

    await chCommand(this.ch, `CREATE DATABASE IF NOT EXISTS ${quoteIdent(this.database)}`, this.#doing('create database'));
    if (this.truncate) await this.#dropStaleTemp();
    let existing = await this.#existingColumns(this.target);
    if (existing.size === 0) {
      await create(this.target);
    } else {
      // A table made for another sync mode or primary key (append → dedup, a new key) is rebuilt with this
      // layout and its rows copied over, as the official destination does; otherwise dedup would not happen.
      if (!this.truncate && !(await this.#layoutMatches(engine, orderBy))) {
        const rebuild = `${this.final}_airbyte_rebuild`;
        await chCommand(this.ch, `DROP TABLE IF EXISTS ${this.#full(rebuild)}`, this.#doing('drop rebuild table'));
        await create(rebuild);
        const common = [...AIRBYTE_COLUMNS.map((c) => c.name), ...plan.map((c) => c.name).filter((n) => existing.has(n))].map(quoteIdent).join(', ');
        await chCommand(this.ch, `INSERT INTO ${this.#full(rebuild)} (${common}) SELECT ${common} FROM ${this.#full(this.final)}`, this.#doing('copy into rebuilt table'));
        await chCommand(this.ch, `EXCHANGE TABLES ${this.#full(rebuild)} AND ${this.#full(this.final)}`, this.#doing('exchange rebuilt table'));
        await chCommand(this.ch, `DROP TABLE IF EXISTS ${this.#full(rebuild)}`, this.#doing('drop old table'));
        existing = await this.#existingColumns(this.target);
      }
      // Schema evolution: new properties become new Nullable columns; existing columns keep their type and
      // values are encoded for it.
      for (const c of plan.filter((p) => !existing.has(p.name))) {
        await chCommand(this.ch, `ALTER TABLE ${this.#full(this.target)} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} Nullable(${c.type})`, this.#doing('add column'));
      }
      for (const c of plan) {
        const type = existing.get(c.name);
        if (type) c.kind = kindForExistingType(type, c.kind);
      }
    }
    this.#columns = plan.map((c) => ({ ...c, encode: encoderFor(c.kind) }));
    const names = [...AIRBYTE_COLUMNS.map((c) => c.name), ...plan.map((c) => c.name)].map(quoteIdent).join(', ');
    this.#insertQuery = `INSERT INTO ${this.#full(this.target)} (${names}) FORMAT JSONCompactEachRow`;
  }

  /** Whether the existing table has this engine (with its version column) and sorting key. */
  async #layoutMatches(engine: string, orderBy: string): Promise<boolean> {
    const [t] = await chRows<{ engine_full: string; sorting_key: string }>(this.ch, 'SELECT engine_full, sorting_key FROM system.tables WHERE database = {db:String} AND name = {t:String}',
      { ...this.#doing('read table layout'), params: { db: this.database, t: this.target } });
    if (!t) return true;
    const norm = (x: string) => x.replace(/[`()\s]/g, '');
    const wantEngine = norm(engine.replace(/\(\)$/, ''));
    const haveEngine = norm(/^\w+(\([^)]*\))?/.exec(t.engine_full)?.[0] ?? '');
    return haveEngine === wantEngine && norm(t.sorting_key) === norm(orderBy);
  }

  /** A side table left by an interrupted truncating sync is resumed when it holds this generation, else dropped. */
  async #dropStaleTemp(): Promise<void> {
    const cols = await this.#existingColumns(this.target);
    if (cols.size === 0) return;
    const [row] = await chRows<{ g: number | string }>(this.ch, `SELECT _airbyte_generation_id AS g FROM ${this.#full(this.target)} LIMIT 1`, this.#doing('read generation'));
    if (row === undefined || Number(row.g) === this.#generation) return;
    await chCommand(this.ch, `DROP TABLE IF EXISTS ${this.#full(this.target)}`, this.#doing('drop stale side table'));
  }

  async #existingColumns(table: string): Promise<Map<string, string>> {
    const rows = await chRows<{ name: string; type: string }>(this.ch, 'SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String} ORDER BY position',
      { ...this.#doing('read columns'), params: { db: this.database, t: table } });
    return new Map(rows.map((r) => [r.name, r.type]));
  }

  /** Adds a record to the open insert; returns a promise when the caller must wait (backpressure). */
  append(r: AirbyteRecordMessage): Promise<void> | undefined {
    const data = r.data as Record<string, unknown>;
    const cols = this.#columns;
    let line = '[';
    let changes: Change[] | undefined;
    const tokens: string[] = new Array(cols.length);
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      const v = data[c.field];
      if (v === null || v === undefined) { tokens[i] = 'null'; continue; }
      const t = c.encode(v);
      if (typeof t === 'string') { tokens[i] = t; continue; }
      tokens[i] = 'null';
      (changes ??= []).push({ field: c.field, change: 'NULLED', reason: reasonOf(t) });
    }
    if (r.emitted_at !== this.#lastEmittedAt) {
      this.#lastEmittedAt = r.emitted_at;
      this.#lastExtractedAt = `"${new Date(r.emitted_at).toISOString()}"`;
    }
    const sourceChanges = (r.meta as { changes?: Change[] } | undefined)?.changes;
    const meta = changes || sourceChanges?.length
      ? JSON.stringify(JSON.stringify({ ...(this.#syncId === undefined ? {} : { sync_id: this.#syncId }), changes: [...(sourceChanges ?? []), ...(changes ?? [])] }))
      : this.#metaPlain;
    line += `"${randomUUID()}",${this.#lastExtractedAt},${meta},${this.#generation}`;
    if (cols.length > 0) line += `,${tokens.join(',')}`;
    line += ']\n';
    const ins = (this.#current ??= new StreamingInsert(this.ch, this.#insertQuery, this.#insertSettings(), this.signal));
    this.rowsWritten++;
    const wait = ins.write(line);
    if (ins.rows >= this.cfg.rowsPerInsert || ins.bytes >= this.cfg.bytesPerInsert || Date.now() - ins.startedAt > MAX_INSERT_AGE_MS) {
      const rotated = this.#rotate();
      return wait ? wait.then(() => rotated) : rotated;
    }
    return wait;
  }

  #insertSettings(): ClickHouseSettings {
    return { ...this.cfg.settings, ...this.cfg.insertSettings };
  }

  /** Ends the open insert without waiting for it, unless too many are in flight. */
  #rotate(): Promise<void> | undefined {
    const ins = this.#current;
    this.#current = undefined;
    if (!ins) return undefined;
    this.#inFlight.push(ins.end());
    if (this.#inFlight.length <= MAX_IN_FLIGHT) return undefined;
    return this.#inFlight.shift()!.catch((e: unknown) => { throw toServiceError(e, this.#doing('insert into')); });
  }

  /**
   * Ends the open insert now and returns a promise of every insert so far being acknowledged. Taking the
   * insert happens synchronously, so records appended after this call go to a new insert.
   */
  seal(): Promise<void> {
    const ins = this.#current;
    this.#current = undefined;
    if (ins) this.#inFlight.push(ins.end());
    const all = this.#inFlight.splice(0);
    return Promise.all(all).then(() => undefined, (e: unknown) => { throw toServiceError(e, this.#doing('insert into')); });
  }

  /**
   * After the last record: swap a truncating sync's side table in (EXCHANGE TABLES keeps the old rows
   * readable until that instant), or drop rows of generations below the minimum.
   */
  async finish(complete: boolean): Promise<void> {
    await this.seal();
    if (!complete) return; // the side table (or the rows) stay for the next attempt to resume
    if (this.truncate) {
      const finalExists = (await this.#existingColumns(this.final)).size > 0;
      if (finalExists) {
        await chCommand(this.ch, `EXCHANGE TABLES ${this.#full(this.target)} AND ${this.#full(this.final)}`, this.#doing('exchange'));
        await chCommand(this.ch, `DROP TABLE IF EXISTS ${this.#full(this.target)}`, this.#doing('drop old table'));
      } else {
        await chCommand(this.ch, `RENAME TABLE ${this.#full(this.target)} TO ${this.#full(this.final)}`, this.#doing('rename'));
      }
      return;
    }
    const min = this.stream.minimum_generation_id ?? 0;
    if (min > 0) await chCommand(this.ch, `DELETE FROM ${this.#full(this.final)} WHERE _airbyte_generation_id < ${Number(min)}`, this.#doing('delete old generations'));
  }
}
