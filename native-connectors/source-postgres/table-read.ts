import { ContiguousProgress, runPool, type Emitter } from '../sdk/index.js';
import { copyRecords } from './copy-records.js';
import { query } from './database.js';
import { RowEncoder, type ExtraColumn } from './row-encoder.js';
import { qualifiedName, quoteLiteral, type Column, type Relation } from './relations.js';
import type { SnapshotSession } from './snapshot-session.js';

/** What to read from one relation, and how its records are labelled. */
export interface TableQuery {
  relation: Relation;
  /** The columns the configured stream selected, in table order. */
  columns: Column[];
  /** Columns added to each record's data (the CDC metadata of snapshot rows). */
  extra?: ExtraColumn[];
  /** An extra condition on the rows (the Xmin and cursor filters). */
  where?: string;
}

export interface ReadContext {
  emit: Emitter;
  emittedAt: number;
  signal: AbortSignal;
}

/** The official ctid bookmark: every row up to and including `ctid` was emitted. */
export interface CtidBookmark { ctid: string; relation_filenode: number }

/**
 * The table's alias in reads. ORDER BY names it: an unqualified name there would mean the output
 * column of that name (e.g. a numeric cast to text), not the table's column.
 */
export const ROW = '"_airdock_row"';

/** A COPY statement's SELECT and the encoder that turns its binary rows into records' data. */
export interface RecordSelect { sql: string; encoder: RowEncoder }

/**
 * `SELECT <each column in the form RowEncoder reads> [, extraOut] FROM table [WHERE] [ORDER BY]`;
 * `orderBy` and `extraOut` refer to columns as `ROW."col"`.
 */
export function recordSelect(q: TableQuery, condition?: string, orderBy?: string, extraOut?: string): RecordSelect {
  const encoder = new RowEncoder(q.columns, q.extra);
  const list = [...encoder.select, ...(extraOut ? [extraOut] : [])].join(', ');
  const where = [condition, q.where].filter(Boolean).map((c) => `(${c})`).join(' AND ');
  const sql = `SELECT ${list} FROM ${qualifiedName(q.relation)} AS ${ROW}${where ? ` WHERE ${where}` : ''}${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
  return { sql, encoder };
}

interface Chunk { condition: string | undefined; endPage: number | undefined }

export interface CtidReadOptions {
  parallel: number;
  /** About how many rows a chunk should hold. */
  rowsPerChunk: number;
  resume?: CtidBookmark;
  /** Called (in order) each time a longer gap-free prefix of chunks is done, except for the last. */
  onCheckpoint: (bookmark: CtidBookmark) => Promise<void> | undefined;
  onResumeDiscarded?: () => void;
}

/**
 * Reads a table in ctid ranges across `parallel` connections sharing the session's snapshot. Chunks
 * are page-aligned; a checkpoint `(p,0)` means every page before p is done, which is also what the
 * official connector's `ctid > '(p,0)'` resume reads. Returns the row count and the relation filenode.
 */
export async function readByCtid(session: SnapshotSession, q: TableQuery, ctx: ReadContext, o: CtidReadOptions): Promise<{ rows: number; filenode: number; endPage: number }> {
  const [info] = await query<{ filenode: string; blocks: string; reltuples: number; relpages: number }>(session.coordinator, `
    SELECT pg_relation_filenode(c.oid)::text AS filenode, (pg_relation_size(c.oid) / current_setting('block_size')::int)::text AS blocks,
           c.reltuples::float8 AS reltuples, c.relpages
    FROM pg_class c WHERE c.oid = $1::regclass`, [qualifiedName(q.relation)], 'plan table read');
  const filenode = Number(info!.filenode);
  const blocks = Number(info!.blocks);
  let start: { page: number; tid?: string } = { page: 0 };
  if (o.resume) {
    if (o.resume.relation_filenode === filenode) {
      const m = /^\((\d+),(\d+)\)$/.exec(o.resume.ctid);
      if (m) start = Number(m[2]) === 0 ? { page: Number(m[1]) } : { page: Number(m[1]) + 1, tid: o.resume.ctid };
    } else {
      o.onResumeDiscarded?.();
    }
  }
  const perPage = info!.reltuples > 0 && info!.relpages > 0 ? info!.reltuples / info!.relpages : 50;
  let pages = Math.max(1, Math.ceil(o.rowsPerChunk / Math.max(1, perPage)));
  const remaining = Math.max(0, blocks - start.page);
  if (o.parallel > 1) pages = Math.max(1, Math.min(pages, Math.ceil(remaining / (o.parallel * 2))));
  const chunks: Chunk[] = [];
  const tid = (page: number) => quoteLiteral(`(${page},0)`) + '::tid';
  for (let p = start.page; ; p += pages) {
    const lower = chunks.length === 0 && start.tid ? `ctid > ${quoteLiteral(start.tid)}::tid` : `ctid >= ${tid(p)}`;
    const last = p + pages >= blocks;
    chunks.push({ condition: last ? lower : `${lower} AND ctid < ${tid(p + pages)}`, endPage: last ? undefined : p + pages });
    if (last) break;
  }
  const progress = new ContiguousProgress();
  let rows = 0;
  await runPool(chunks.keys(), async (i, signal) => {
    const chunk = chunks[i]!;
    const n = await session.withReader((client) => copyRecords(client, recordSelect(q, chunk.condition), {
      emit: ctx.emit, stream: q.relation.name, namespace: q.relation.schema, emittedAt: ctx.emittedAt, signal,
    }));
    rows += n;
    const done = progress.complete(i);
    if (done !== undefined && chunks[done]!.endPage !== undefined) {
      const w = o.onCheckpoint({ ctid: `(${chunks[done]!.endPage},0)`, relation_filenode: filenode });
      if (w) await w;
    }
  }, { concurrency: session.shared ? o.parallel : 1, signal: ctx.signal });
  return { rows, filenode, endPage: Math.max(blocks, start.page) };
}

/** Reads a relation without ctid (views, partitioned parents) in one statement. */
export async function readWhole(session: SnapshotSession, q: TableQuery, ctx: ReadContext, orderBy?: string): Promise<number> {
  return session.withReader((client) => copyRecords(client, recordSelect(q, undefined, orderBy), {
    emit: ctx.emit, stream: q.relation.name, namespace: q.relation.schema, emittedAt: ctx.emittedAt, signal: ctx.signal,
  }));
}
