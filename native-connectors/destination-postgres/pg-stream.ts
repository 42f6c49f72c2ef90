import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { DestinationConnectionError, DestinationSchemaError, DestinationWriteError, RecordFields, classifyLine, scanRecordFields, type ConfiguredAirbyteStream, type RecordEnvelope } from '../../protocol/index.js';
import {
  airbyteMeta, coerceValue, dropOldGenerationsStatement, META_COLUMNS, parseRecordData, planSchemaChange, planTable,
  type TablePlan,
} from '../sdk/sql/index.js';
import type { PostgresOptions } from './postgres-config.js';
import { toDestinationError } from './postgres-errors.js';
import { mergeStatements } from './merge-statements.js';
import { DedupMerge } from './dedup-merge.js';
import { postgresDialect as d, quote } from './postgres-dialect.js';
import { postgresName, rawTableName } from './postgres-naming.js';
import { storedIdentifier } from './stored-identifier.js';
import { RUN_FIELDS, RunField } from '../sdk/index.js';
import { CopyRowEncoder, ROW_EXACT, ROW_TEXT } from './copy-row-encoder.js';
import { sameBytes } from './same-bytes.js';
import { copyText, copyValues } from './copy-values.js';
import { writeUuidV4 } from './write-uuid-v4.js';
import { BINARY_HEADER, writeInt32, writeInt64 } from './copy-binary-fields.js';
import { ChunkBuffer } from './chunk-buffer.js';

const META = '_airbyte_meta';
const META_TYPES = ['varchar NOT NULL', 'timestamp with time zone NOT NULL', 'jsonb NOT NULL', 'bigint'];
const RAW_EXTRA = [['_airbyte_loaded_at', 'timestamp with time zone'], ['_airbyte_data', 'jsonb NOT NULL']] as const;

/**
 * One configured stream in PostgreSQL: the table the official destination-postgres 3.x writes
 * (typed columns plus the Airbyte columns, or the legacy raw table with `disable_type_dedupe`),
 * created or evolved at the start, and the rows of the current batch as COPY data (binary COPY,
 * with COPY text beside it for the rows left to text; see prepare). Where a batch
 * goes: append → the final table; overwrite → a table in the internal schema swapped in at the end;
 * dedup → a session temp table merged into the table at commit (see DedupMerge).
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
  #copyBinarySql = '';
  /**
   * The rows of the current chunk, encoded as they are formatted (no per-line strings kept alive):
   * COPY binary rows when {@link #binary}, else COPY text rows.
   */
  #main = new ChunkBuffer(1 << 20);
  /** COPY text rows: the main buffer itself, or beside the binary rows the rows left as text. */
  #text = this.#main;
  /** Rows typed from the bytes go as binary COPY (see prepare). */
  #binary = false;
  /**
   * `_airbyte_meta` (unless {@link #metaDefault}) and `_airbyte_generation_id` of a row without
   * changes, as binary COPY fields.
   */
  #binaryFrame = Buffer.alloc(0);
  /** Fields per binary COPY row: the Airbyte columns and the typed ones (up to PostgreSQL's 1,600). */
  #fields16 = 0;
  /** `_airbyte_extracted_at` for #lastEmitted as a binary COPY field. */
  #lastExtractedBinary = Buffer.alloc(12);
  /** Chunk buffers back from PostgreSQL, for the next chunks. */
  readonly #spare: Buffer[] = [];
  /** `_airbyte_meta` of a row without changes, as COPY text. */
  #meta: string;
  #lastEmitted = Buffer.alloc(0);
  #lastExtracted = Buffer.alloc(0);
  /** `\t_airbyte_meta\t_airbyte_generation_id` of a row without changes, as COPY text bytes. */
  #frame: Buffer;
  #encoder: CopyRowEncoder | undefined;
  /**
   * The binary rows leave `_airbyte_meta` out: the COPY target's column DEFAULT is the meta of a row
   * without changes (see #useMetaDefault), and each row's jsonb parse of the same text is saved.
   */
  #metaDefault = false;
  #merge: DedupMerge | undefined;
  readonly #fields = new RecordFields();
  /** Official indexes of the load target left to buildIndexes (see #prepareIndexes). */
  #deferred: OfficialIndex[] = [];

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
    this.#frame = Buffer.from(`\t${this.#meta}\t${this.plan.generationId}`);
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
    await this.#createTable(client, this.table, false);
    if (!this.o.rawTablesOnly) this.#planned = await this.#evolve(client, log);
    // Overwrite's table replaced at the end gets no index here: a new one is empty, an old one keeps
    // those its own sync built (creating ours on it was a build over the old rows on every overwrite).
    if (this.plan.truncate) await this.#prepareOverwriteTable(client, internal);
    await this.#prepareIndexes(client);
    if (!this.o.rawTablesOnly) this.#encoder = new CopyRowEncoder(this.#planned.columns);
    if (this.plan.dedup) this.#merge = new DedupMerge(mergeStatements(this.#planned, this.copyTarget, this.loadTarget, { hardDelete: this.o.hardDelete }));
    const cols = this.#copyColumns();
    this.#copySql = `COPY ${this.copyTarget} (${cols.map(quote).join(', ')}) FROM STDIN`;
    if (this.#encoder && Number.isSafeInteger(this.plan.generationId) && await this.#binaryFits(client)) {
      this.#binary = true;
      this.#metaDefault = await this.#useMetaDefault(client);
      const binaryCols = this.#metaDefault ? cols.filter((c) => c !== META) : cols;
      this.#copyBinarySql = `COPY ${this.copyTarget} (${binaryCols.map(quote).join(', ')}) FROM STDIN (FORMAT binary)`;
      this.#fields16 = binaryCols.length;
      this.#text = new ChunkBuffer(64 << 10);
      this.#main.start(BINARY_HEADER);
      const meta = Buffer.from(airbyteMeta(this.plan.syncId));
      this.#binaryFrame = Buffer.alloc((this.#metaDefault ? 0 : 4 + 1 + meta.length) + 12);
      let p = 0;
      if (!this.#metaDefault) {
        p = writeInt32(this.#binaryFrame, 0, 1 + meta.length);
        this.#binaryFrame[p++] = 1; // jsonb version
        p += meta.copy(this.#binaryFrame, p);
      }
      writeInt64(this.#binaryFrame, writeInt32(this.#binaryFrame, p, 8), this.plan.generationId);
    }
  }

  /**
   * Whether the binary rows can leave `_airbyte_meta` to a column DEFAULT holding the meta of a row
   * without changes: PostgreSQL then copies one constant instead of parsing the same jsonb text for
   * every row (jsonb_recv was ~10 % of the loading backend's CPU on the benchmark table). The dedup
   * stage is ours and gets the DEFAULT when created (prepareSession). The table loaded in append and
   * overwrite mode gets it here, in a transaction of its own that waits at most a second for the
   * table's lock (else the meta stays in the COPY), and loses it again in the last batch's
   * transaction (commitStatements); a table whose column already has another DEFAULT keeps it and
   * the meta stays in the COPY. Rows with changes go as COPY text and carry their own meta.
   */
  async #useMetaDefault(client: Client): Promise<boolean> {
    if (this.plan.dedup) return true;
    const res = await client.query<{ def: string | null }>(
      'SELECT pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = $1::regclass AND a.attname = $2',
      [this.loadTarget, META]);
    const def = res.rows[0]?.def;
    // A DEFAULT left by an earlier sync that stopped before its last batch is replaced.
    if (def && !def.startsWith(`'{"changes":`)) return false;
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL lock_timeout = '1s'");
      await client.query(`ALTER TABLE ${this.loadTarget} ALTER COLUMN ${quote(META)} SET DEFAULT ${this.#metaLiteral()}`);
      await client.query('COMMIT');
      return true;
    } catch {
      await client.query('ROLLBACK');
      return false;
    }
  }

  /** The meta of a row without changes as a jsonb SQL literal. */
  #metaLiteral(): string {
    return `${literal(airbyteMeta(this.plan.syncId))}::jsonb`;
  }

  /**
   * Binary COPY needs each column to be exactly the type whose binary form is written (a table made
   * by hand or by an older version may hold other types: those take COPY text, which PostgreSQL
   * casts), and zone-less times read in UTC as the text input does in this session.
   */
  async #binaryFits(client: Client): Promise<boolean> {
    const zone = await client.query<{ TimeZone: string }>('SHOW TimeZone');
    if (!/^(Etc\/)?UTC$/i.test(zone.rows[0]?.TimeZone ?? '')) return false;
    const res = await client.query<{ attname: string; type: string }>(
      'SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped', [this.loadTarget]);
    const types = new Map(res.rows.map((r) => [r.attname, r.type]));
    const wanted: [string, string][] = [...META_COLUMNS.map((n, i) => [n, META_TYPES[i]!.replace(' NOT NULL', '')] as [string, string]),
      ...this.#planned.columns.map((c) => [c.name, d.typeName(c.type)] as [string, string])];
    return wanted.every(([name, type]) => FORMAT_TYPE[type] !== undefined && types.get(name) === FORMAT_TYPE[type]);
  }

  /** What each connection that loads batches needs: the dedup stage (a temp table is per session). */
  async prepareSession(client: Client): Promise<void> {
    if (!this.plan.dedup) return;
    await client.query(`DROP TABLE IF EXISTS ${this.copyTarget}`);
    const defs = this.#columnDefs(false);
    if (this.#metaDefault) defs[META_COLUMNS.indexOf(META)] += ` DEFAULT ${this.#metaLiteral()}`;
    await client.query(`CREATE TEMP TABLE ${quote(`airdock_stage_${this.index}`)} (${defs.join(', ')})`);
  }

  #copyColumns(): string[] {
    return this.o.rawTablesOnly ? [...META_COLUMNS, ...RAW_EXTRA.map(([n]) => n)] : [...META_COLUMNS, ...this.#planned.columns.map((c) => c.name)];
  }

  #columnDefs(constraints: boolean): string[] {
    const meta = META_COLUMNS.map((n, i) => `${quote(n)} ${constraints ? META_TYPES[i] : META_TYPES[i]!.replace(' NOT NULL', '')}`);
    if (this.o.rawTablesOnly) return [...meta, ...RAW_EXTRA.map(([n, t]) => `${quote(n)} ${constraints ? t : t.replace(' NOT NULL', '')}`)];
    return [...meta, ...this.#planned.columns.map((c) => `${quote(c.name)} ${d.typeName(c.type)}`)];
  }

  /** Creates the table; its indexes come from #prepareIndexes. */
  async #createTable(client: Client, table: string, replace: boolean): Promise<void> {
    if (replace) await client.query(`DROP TABLE IF EXISTS ${table}${this.o.dropCascade ? ' CASCADE' : ''}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (${this.#columnDefs(true).join(', ')})`);
  }

  /**
   * The official indexes (PostgresDirectLoadSqlGenerator.createIndexes): primary key and cursor for
   * dedup streams, `_airbyte_extracted_at` always. `load`: the load itself needs it (the dedup merge
   * looks keys up and reads the largest key through the primary-key index).
   */
  #officialIndexes(table: string, name: string): OfficialIndex[] {
    const index = (prefix: string, columns: string[], load: boolean) => ({ name: `${prefix}${name}`, table, columns, load });
    const out: OfficialIndex[] = [];
    if (this.plan.dedup) {
      out.push(index('idx_pk_', this.plan.primaryKey, true));
      if (this.plan.cursor) out.push(index('idx_cursor_', [this.plan.cursor], false));
    }
    out.push(index('idx_extracted_at_', ['_airbyte_extracted_at'], false));
    return out;
  }

  /**
   * The indexes of the table loaded (the final table, or overwrite's new one). An empty table (new,
   * or left empty) is loaded without the indexes the load does not need, and they are built once at
   * the end (buildIndexes): maintaining them row by row was ~35 % of the loading backends' CPU and
   * ~40 % of the replica's replay on the append benchmark, one sort-and-build after the load costs a
   * fraction of that. A table that holds rows gets every missing index now and keeps them during the
   * load: a sync that crashed before its build left its table without them, and a big table is not
   * worth a drop and rebuild. An official index counts as present when an index on the same columns
   * is there under any name (IF NOT EXISTS only looks at the name): earlier airdock versions left
   * overwrite's tables with their temporary table's index names, and building the official one beside
   * it doubled the disk and the work of every later load.
   */
  async #prepareIndexes(client: Client): Promise<void> {
    const name = this.plan.truncate ? tempName(this.schema, this.name) : this.name;
    const present = await indexedColumns(client, this.loadTarget);
    const all = this.#officialIndexes(this.loadTarget, name).filter((i) => !present.has(i.columns.join('\0')));
    const empty = (await client.query(`SELECT 1 FROM ${this.loadTarget} LIMIT 1`)).rowCount === 0;
    this.#deferred = empty ? all.filter((i) => !i.load) : [];
    await createIndexes(client, empty ? all.filter((i) => i.load) : all);
  }

  /**
   * Builds the indexes left out of the load, inside the sync's last transaction, before overwrite's
   * swap (the swapped-in table has them) and so before the last STATEs are echoed. Echoing first would
   * be allowed (their records are committed), but overwrite must build before its swap anyway, and
   * inside the transaction a failed build rolls the last batch back with it: the sync fails with
   * AIRDOCK_DESTINATION_WRITE, nothing after the previous echoed STATE was acknowledged, and the rerun,
   * finding the table holding rows, builds the indexes before it loads (#prepareIndexes). `finish`:
   * the source finished the stream; an overwrite that did not is not swapped in and its table is
   * resumed by the next attempt, which builds them then. The server's maintenance_work_mem is kept:
   * on the benchmark's 5M rows a build took 0.78-0.91 s with the default 64 MB, 1.04-1.10 s with
   * 256 MB and 1.07-1.26 s with 1 GB (one sort in memory was slower than merging sorted runs).
   */
  async buildIndexes(client: Client, finish: boolean): Promise<void> {
    if (this.#deferred.length === 0 || (this.plan.truncate && !finish)) return;
    for (const index of this.#deferred) {
      try {
        await createIndex(client, index);
      } catch (error) {
        throw indexBuildError(error, this.loadTarget, index.name);
      }
    }
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
    if (!resume) await this.#createTable(client, this.loadTarget, true);
  }

  /** One RECORD as a COPY text line; returns the bytes buffered for this stream. */
  append(raw: Buffer, env: RecordEnvelope): number {
    const meta = env.metaRange;
    this.#appendRecord(raw, env.dataRange[0], env.dataRange[1], env.emittedAtRange[0], env.emittedAtRange[1], meta ? meta[0] : -1, meta ? meta[1] : -1);
    return this.#chunkBytes;
  }

  /**
   * `count` RECORD lines of this stream as the SDK's run reader gathered them (each `\n`-ended), with
   * where each line's fields are (RecordRun.fields; found again here when absent); returns the bytes
   * buffered for this stream.
   */
  appendRun(bytes: Buffer, count: number, fields: Int32Array | undefined): number {
    if (fields) {
      const n = count * RUN_FIELDS;
      for (let k = 0; k < n; k += RUN_FIELDS) {
        try {
          this.#appendRecord(bytes, fields[k + RunField.DATA_START]!, fields[k + RunField.DATA_END]!, fields[k + RunField.EMITTED_AT_START]!,
            fields[k + RunField.EMITTED_AT_END]!, fields[k + RunField.META_START]!, fields[k + RunField.META_END]!);
        } catch (error) {
          // checksRunData: `data` is not one JSON object (not the last field after all, or malformed):
          // the line as the per-line path reads it (a malformed one throws the same error again).
          if (!(error instanceof SyntaxError)) throw error;
          const end = (k + RUN_FIELDS < n ? fields[k + RUN_FIELDS + RunField.LINE]! : bytes.length) - 1;
          const line = classifyLine(bytes.subarray(fields[k + RunField.LINE]!, end), 0, { validate: 'envelope' });
          if (line.kind === 'message' && line.record) this.append(line.raw, line.record);
        }
      }
      return this.#chunkBytes;
    }
    let s = 0;
    for (let n = 0; n < count && s < bytes.length; n++) {
      let nl = bytes.indexOf(LF, s);
      if (nl === -1) nl = bytes.length;
      this.#appendLine(bytes, s, nl);
      s = nl + 1;
    }
    return this.#chunkBytes;
  }

  /** One line of a run without RecordRun.fields: the SDK's scan, then the encoder or the exact path. */
  #appendLine(b: Buffer, s: number, nl: number): void {
    const f = this.#fields;
    if (sameBytes(b, s, s + RECORD_PREFIX.length, RECORD_PREFIX)) scanRecordFields(b, s + RECORD_PREFIX.length - 1, f);
    else f.end = -1;
    if (f.end === nl - 1 && f.dataKind === 0x7b && f.emittedAt === 1) {
      this.#appendRecord(b, f.dataStart, f.dataEnd, f.emittedAtStart, f.emittedAtEnd, f.metaStart, f.metaEnd);
      return;
    }
    // Not the layout the run reader promises: the general decoder decides.
    const line = classifyLine(b.subarray(s, nl), 0, { validate: 'envelope' });
    if (line.kind === 'message' && line.record) this.append(line.raw, line.record);
  }

  /**
   * The row's values come from the byte encoder (CopyRowEncoder) when it takes the row, as a binary
   * COPY row when the stream loads binary and every value has its binary form here, else as a COPY
   * text row; otherwise from the exact path: JSON.parse and coerceValue per value, the source's meta
   * changes merged.
   */
  #appendRecord(raw: Buffer, dataStart: number, dataEnd: number, emittedStart: number, emittedEnd: number, metaStart: number, metaEnd: number): void {
    const extracted = this.#extracted(raw, emittedStart, emittedEnd);
    const encoder = this.#encoder;
    if (encoder && metaStart === -1) {
      const r = this.#binary ? this.#appendBinary(raw, encoder, dataStart, dataEnd) : encoder.scan(raw, dataStart, dataEnd) === dataEnd ? ROW_TEXT : ROW_EXACT;
      if (r >= 0 || (r === ROW_TEXT && this.#appendText(raw, encoder, dataEnd - dataStart, extracted))) {
        this.rows++;
        return;
      }
    }
    this.#appendExact(raw, dataStart, dataEnd, metaStart, metaEnd);
  }

  /**
   * The row as a binary COPY row, its values written as the encoder reads them: where it ends, or
   * ROW_TEXT / ROW_EXACT (CopyRowEncoder.scanBinary).
   */
  #appendBinary(raw: Buffer, encoder: CopyRowEncoder, dataStart: number, dataEnd: number): number {
    const main = this.#main;
    main.reserve(2 + 40 + 12 + this.#binaryFrame.length + encoder.maxBinaryBytes(dataEnd - dataStart));
    const buf = main.buf;
    let p = main.bytes;
    buf[p++] = this.#fields16 >> 8;
    buf[p++] = this.#fields16;
    p = writeInt32(buf, p, 36);
    p += writeUuidV4(buf, p);
    p = copyShort(this.#lastExtractedBinary, buf, p);
    p = copyShort(this.#binaryFrame, buf, p);
    const end = encoder.scanBinary(raw, dataStart, dataEnd, buf, p);
    if (end >= 0) main.bytes = end;
    return end;
  }

  /** The row the encoder scanned last as a COPY text row; false when it must take the exact path after all. */
  #appendText(raw: Buffer, encoder: CopyRowEncoder, dataBytes: number, extracted: Buffer): boolean {
    const text = this.#text;
    text.reserve(40 + extracted.length + this.#frame.length + encoder.maxBytes(dataBytes));
    const buf = text.buf;
    let p = text.bytes;
    p += writeUuidV4(buf, p);
    buf[p++] = 0x09;
    p = copyShort(extracted, buf, p);
    p = copyShort(this.#frame, buf, p);
    const end = encoder.write(raw, buf, p);
    if (end < 0) return false;
    buf[end] = LF;
    text.bytes = end + 1;
    return true;
  }

  /** `_airbyte_extracted_at` for an `emitted_at`, as ISO text bytes; kept while it repeats. */
  #extracted(raw: Buffer, start: number, end: number): Buffer {
    if (!sameBytes(raw, start, end, this.#lastEmitted)) {
      this.#lastEmitted = Buffer.from(raw.subarray(start, end));
      const at = new Date(Number(raw.toString('latin1', start, end)));
      this.#lastExtracted = Buffer.from(at.toISOString(), 'latin1');
      writeInt64(this.#lastExtractedBinary, writeInt32(this.#lastExtractedBinary, 0, 8), at.getTime() * 1000 - PG_EPOCH_US);
    }
    return this.#lastExtracted;
  }

  #appendExact(raw: Buffer, dataStart: number, dataEnd: number, metaStart: number, metaEnd: number): void {
    const { data, lossless } = parseRecordData(raw.toString('utf8', dataStart, dataEnd));
    let changes: unknown[] | undefined;
    if (metaStart !== -1) {
      const source = (JSON.parse(raw.toString('utf8', metaStart, metaEnd)) as { changes?: unknown[] } | null)?.changes;
      if (source?.length) changes = [...source];
    }
    let values: string;
    if (this.o.rawTablesOnly) {
      // The official raw formatter leaves out top-level nulls.
      for (const k of Object.keys(data)) if (data[k] === null) delete data[k];
      values = `\t\\N\t${copyText(coerceValue('json', data, lossless).text!)}`;
    } else {
      const typed = copyValues(this.#planned.columns, data, lossless);
      values = typed.values;
      if (typed.changes) (changes ??= []).push(...typed.changes);
    }
    const meta = changes ? copyText(airbyteMeta(this.plan.syncId, changes)) : this.#meta;
    const rest = `\t${this.#lastExtracted.toString('latin1')}\t${meta}\t${this.plan.generationId}${values}\n`;
    const text = this.#text;
    text.reserve(36 + rest.length * 3); // the id, then a UTF-8 bound without a scan
    text.bytes += writeUuidV4(text.buf, text.bytes);
    text.bytes += text.buf.write(rest, text.bytes);
    this.rows++;
  }

  /** The bytes buffered for this stream. */
  get #chunkBytes(): number {
    return this.#main.bytes - this.#main.head + (this.#text === this.#main ? 0 : this.#text.bytes);
  }

  /**
   * The buffered COPY data (binary rows, then the rows left as text), handed over until
   * {@link release}d; formatting goes on in a spare buffer. Reusing the chunk buffers instead of a
   * new 4 MiB Buffer per chunk: each new one counted as external memory and set off a full
   * (mark-compact) GC, 32 of them per million rows, ~0.3 s.
   */
  take(): CopyPart[] | undefined {
    const parts: CopyPart[] = [];
    const main = this.#main;
    if (main.bytes > main.head) {
      if (this.#binary) { main.reserve(2); main.buf[main.bytes++] = 0xff; main.buf[main.bytes++] = 0xff; } // the trailer
      parts.push({ sql: this.#binary ? this.#copyBinarySql : this.#copySql, data: main.take(this.#spare.pop()), reuse: true });
    }
    if (this.#text !== main && this.#text.bytes > 0) parts.push({ sql: this.#copySql, data: this.#text.take(undefined), reuse: false });
    return parts.length > 0 ? parts : undefined;
  }

  /**
   * A part from {@link take} that PostgreSQL has taken whole: its buffer holds a later chunk. Up to
   * SPARE_CHUNKS kept: around a batch commit both connections hold a chunk while the next two are
   * formatted; with 2 kept, ~25 new 8 MiB buffers per 5M rows of the benchmark table set off ~20
   * full GCs (4 and 2 with 4 kept; destination 4.9-5.1 -> 4.7 CPU-s, bench/RESULTS.md).
   */
  release(part: CopyPart): void {
    const chunk = part.data;
    if (part.reuse && this.#spare.length < SPARE_CHUNKS) this.#spare.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.buffer.byteLength - chunk.byteOffset));
  }

  /** The rows appended since the last call: the size of the batch being committed. */
  takeRows(): number {
    const n = this.rows;
    this.rows = 0;
    return n;
  }

  /** The dedup merge of a batch of `rows` rows into the table, inside its transaction (before commitStatements). */
  async merge(client: Client, rows: number): Promise<void> {
    if (!this.#merge || rows === 0) return;
    await this.#merge.run(client, rows);
    await client.query(`TRUNCATE ${this.copyTarget}`);
  }

  /**
   * After overwrite's swap, inside its transaction: the indexes built on the temporary table take the
   * names the table's own sync gives them (`idx_extracted_at_<table>`, ...), so that a later append or
   * append_dedup sync finds them by name. The official connector's swap (overwriteTable) keeps the
   * temporary names and so builds duplicates on its next incremental sync; we do not follow it there.
   * Renaming at the swap rather than when the next sync starts keeps the table's state one commit: a
   * crash before it leaves the old table untouched. An index the temporary table lacks (it never does
   * at the swap: buildIndexes ran just before) or an official name already taken by another relation
   * of the schema (two long table names cut to the same 63 bytes) keeps its name: the rename is
   * skipped, not failed, and #prepareIndexes still finds the index by its columns.
   */
  #renameIndexesStatement(): string {
    const from = this.#officialIndexes(this.table, tempName(this.schema, this.name));
    const to = this.#officialIndexes(this.table, this.name);
    const steps = from.map((f, i) => {
      const old = `${quote(this.schema)}.${quote(storedIdentifier(f.name))}`;
      const wanted = storedIdentifier(to[i]!.name);
      return `IF to_regclass(${literal(old)}) IS NOT NULL AND to_regclass(${literal(`${quote(this.schema)}.${quote(wanted)}`)}) IS NULL THEN
    ALTER INDEX ${old} RENAME TO ${quote(wanted)};
  END IF;`;
    });
    return `DO $airdock$ BEGIN\n  ${steps.join('\n  ')}\nEND $airdock$`;
  }

  /**
   * Statements that end a batch inside its transaction (after merge); `final`: the stream is
   * finished, `last`: the sync's last batch (whether or not the source finished the stream).
   */
  commitStatements(final: boolean, last = final): string[] {
    const out: string[] = [];
    if (last && this.#metaDefault && !this.plan.dedup) out.push(`ALTER TABLE ${this.loadTarget} ALTER COLUMN ${quote(META)} DROP DEFAULT`);
    if (final) {
      if (this.plan.truncate) {
        out.push(`DROP TABLE IF EXISTS ${this.table}${this.o.dropCascade ? ' CASCADE' : ''}`);
        out.push(`ALTER TABLE ${this.loadTarget} RENAME TO ${quote(this.name)}`);
        const internal = postgresName(this.o.rawSchema.toLowerCase());
        if (internal !== this.schema) out.push(`ALTER TABLE ${quote(internal)}.${quote(this.name)} SET SCHEMA ${quote(this.schema)}`);
        out.push(this.#renameIndexesStatement());
      }
      const old = dropOldGenerationsStatement(d, this.#planned, this.table);
      if (old) out.push(old);
    }
    return out;
  }
}

/** One of the official indexes (see PgStream's officialIndexes). */
interface OfficialIndex { readonly name: string; readonly table: string; readonly columns: string[]; readonly load: boolean }

/**
 * The key columns of each usable index of `table` (valid btree, no expression, no predicate), each
 * list joined by NUL: an index on the same columns serves the load and the user's queries whatever
 * its name.
 */
async function indexedColumns(client: Client, table: string): Promise<Set<string>> {
  const r = await client.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY k.n) AS columns
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_am am ON am.oid = c.relam
       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1::regclass AND i.indisvalid AND i.indexprs IS NULL AND i.indpred IS NULL
        AND am.amname = 'btree' AND k.n <= i.indnkeyatts
      GROUP BY i.indexrelid`, [table]);
  return new Set(r.rows.map((x) => x.columns.join('\0')));
}

/** A string literal for SQL (standard_conforming_strings is on since PostgreSQL 9.1). */
function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

async function createIndexes(client: Client, indexes: OfficialIndex[]): Promise<void> {
  for (const index of indexes) await createIndex(client, index);
}

/**
 * Creates `index` (the caller knows its table has none on these columns) under its official name or,
 * when another relation of the table's schema already holds that name as PostgreSQL stores it (two
 * long table names whose names cut to 63 bytes are the same), under that name cut to 54 bytes plus
 * `_` and 8 hex characters of its SHA-256: `IF NOT EXISTS` alone skips it silently and leaves the
 * table without the index, as the official connector does. The rerun finds either by its columns.
 */
async function createIndex(client: Client, index: OfficialIndex): Promise<void> {
  const taken = await client.query(
    'SELECT 1 FROM pg_class WHERE relname = $1 AND relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = $2::regclass)',
    [storedIdentifier(index.name), index.table]);
  const name = taken.rowCount ? `${storedIdentifier(index.name, 54)}_${createHash('sha256').update(index.name).digest('hex').slice(0, 8)}` : index.name;
  await client.query(`CREATE INDEX IF NOT EXISTS ${quote(name)} ON ${index.table} (${index.columns.map(quote).join(', ')})`);
}

/**
 * A failed index build as the error a user acts on: a lost connection stays transient (the sync
 * engine retries); anything else (disk full, a lock or statement timeout) fails the sync naming the
 * table and index.
 */
function indexBuildError(error: unknown, table: string, index: string): unknown {
  const typed = toDestinationError(error);
  if (typed instanceof DestinationConnectionError) return typed;
  const e = error as { code?: string; message?: string };
  const full = e.code === '53100';
  return new DestinationWriteError('PostgreSQL could not build an index after the load', {
    cause: error,
    context: { table, index, sqlstate: e.code ?? '', reason: e.message ?? String(error), ...(full ? { osCode: 'ENOSPC' } : {}) },
    // Disk full keeps the error's own hint (free space, then run again).
    ...(full ? {} : { hint: 'Fix the cause above, then run again: the rerun builds the missing index before it loads' }),
  });
}

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

/** What one COPY statement of a chunk sends; `reuse`: its buffer may take a later chunk once sent. */
export interface CopyPart { readonly sql: string; readonly data: Buffer; readonly reuse: boolean }

/** Formats of the column types the destination creates, as format_type() names them, for binary COPY. */
const FORMAT_TYPE: Record<string, string> = {
  varchar: 'character varying', bigint: 'bigint', decimal: 'numeric', boolean: 'boolean', date: 'date', 'time with time zone': 'time with time zone',
  time: 'time without time zone', 'timestamp with time zone': 'timestamp with time zone', timestamp: 'timestamp without time zone', jsonb: 'jsonb',
};
/** Microseconds from 1970-01-01 to 2000-01-01 (PostgreSQL's epoch). */
const PG_EPOCH_US = 946_684_800_000_000;
const LF = 0x0a;
const SPARE_CHUNKS = 4;
const RECORD_PREFIX = Buffer.from('{"type":"RECORD","record":{');

/** Short copies byte by byte: Buffer.copy's call costs more than a few dozen bytes of loop. */
function copyShort(from: Buffer, to: Buffer, at: number): number {
  if (from.length > 48) return at + from.copy(to, at);
  for (let k = 0; k < from.length; k++) to[at++] = from[k]!;
  return at;
}

