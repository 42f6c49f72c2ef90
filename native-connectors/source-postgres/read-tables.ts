import type { ConfiguredAirbyteStream } from '../../protocol/index.js';
import { SourceConfigError } from '../../protocol/index.js';
import type { StateView } from '../sdk/index.js';
import { CURSOR_KINDS } from './discover-streams.js';
import { query } from './database.js';
import { selectSql } from './column-types.js';
import { copyRecords } from './copy-records.js';
import { qualifiedName, quoteIdent, quoteLiteral, type Column, type Relation } from './relations.js';
import type { SnapshotSession } from './snapshot-session.js';
import { stateType, type CtidState, type CursorState, type PostgresStreamState, type XminState } from './state-shapes.js';
import { ROW, readByCtid, readWhole, recordSelect, type ReadContext, type TableQuery } from './table-read.js';
import { currentXmin, xminCondition } from './xmin-status.js';

export interface StreamReadOptions extends ReadContext {
  session: SnapshotSession;
  state: StateView;
  parallel: number;
  rowsPerChunk: number;
  log: (level: 'INFO' | 'WARN', message: string) => Promise<void> | undefined;
  /** Emits a stream's state: a STREAM state, or (CDC) the stream's part of the GLOBAL state. */
  saveState: (rel: Relation, state: PostgresStreamState) => Promise<void> | undefined;
}

/** The configured stream's columns, in table order (only those the catalog selected). */
export function selectedColumns(rel: Relation, configured: ConfiguredAirbyteStream): Column[] {
  const props = (configured.stream.json_schema as { properties?: Record<string, unknown> }).properties;
  return props ? rel.columns.filter((c) => c.name in props) : rel.columns;
}

/**
 * Full refresh, resumable: ctid chunks with a ctid STREAM state after each gap-free stretch; a state
 * marked complete at the end so the next full refresh starts over instead of resuming.
 */
export async function readFullRefresh(rel: Relation, configured: ConfiguredAirbyteStream, o: StreamReadOptions): Promise<void> {
  const q: TableQuery = { relation: rel, columns: selectedColumns(rel, configured) };
  if (!rel.hasCtid) {
    await readWhole(o.session, q, o);
    return;
  }
  const prev = o.state.get<CtidState>(rel.name, rel.schema);
  const resume = stateType(prev) === 'ctid' && !prev!.complete ? prev : undefined;
  const r = await readByCtid(o.session, q, o, {
    parallel: o.parallel, rowsPerChunk: o.rowsPerChunk, ...(resume ? { resume } : {}),
    onCheckpoint: (b) => o.saveState(rel, { version: 2, state_type: 'ctid', ...b } satisfies CtidState),
    onResumeDiscarded: () => void o.log('WARN', `${rel.schema}.${rel.name} was rewritten since the saved position (new relation file node): reading it from the start`),
  });
  await o.saveState(rel, { version: 2, state_type: 'ctid', ctid: `(${r.endPage},0)`, relation_filenode: r.filenode, complete: true } satisfies CtidState);
}

/**
 * Standard incremental, as upstream: a first sync (or one whose initial load was interrupted) reads the
 * table by ctid with the cursor's maximum at the start kept in `incremental_state`; later syncs read
 * `cursor > saved` in cursor order, or `>=` when the number of rows at the saved value changed (ties at
 * the boundary: rows that arrived with the same value are not lost; the rest come again).
 */
export async function readCursorIncremental(rel: Relation, configured: ConfiguredAirbyteStream, o: StreamReadOptions): Promise<void> {
  const cursorName = configured.cursor_field?.[0];
  const column = rel.columns.find((c) => c.name === cursorName);
  if (!cursorName || !column) {
    throw new SourceConfigError('The incremental stream has no cursor column in the table', { context: { stream: `${rel.schema}.${rel.name}`, cursor_field: cursorName ?? '' }, hint: 'Set cursor_field to a column of the table' });
  }
  if (!CURSOR_KINDS.has(column.type.kind) || column.type.element !== undefined || (column.type.kind === 'string' && !['text', 'varchar', 'name'].includes(column.typname))) {
    throw new SourceConfigError('The cursor column has a type that cannot be used as a cursor', { context: { stream: `${rel.schema}.${rel.name}`, cursor_field: cursorName, type: column.typname }, hint: 'Use a number, date, time, timestamp or text column' });
  }
  const q: TableQuery = { relation: rel, columns: selectedColumns(rel, configured) };
  const col = quoteIdent(cursorName);
  const literal = (v: string) => `${quoteLiteral(v)}::${quoteIdent(column.typname)}`;
  const base = { version: 2 as const, state_type: 'cursor_based' as const, stream_name: rel.name, stream_namespace: rel.schema, cursor_field: [cursorName] };
  const prev = o.state.get<CtidState | CursorState>(rel.name, rel.schema);
  const kind = stateType(prev);

  if (kind !== 'cursor_based' && rel.hasCtid) {
    // Initial load: the cursor state to switch to is fixed before the first row is read.
    const resumeCtid = kind === 'ctid' && (prev as CtidState).incremental_state?.state_type === 'cursor_based' ? (prev as CtidState) : undefined;
    const target = (resumeCtid?.incremental_state as CursorState | undefined) ?? await cursorMaximum(o.session, rel, column, base);
    await readByCtid(o.session, q, o, {
      parallel: o.parallel, rowsPerChunk: o.rowsPerChunk, ...(resumeCtid ? { resume: resumeCtid } : {}),
      onCheckpoint: (b) => o.saveState(rel, { version: 2, state_type: 'ctid', ...b, incremental_state: target } satisfies CtidState),
    });
    await o.saveState(rel, target);
    return;
  }

  const saved = kind === 'cursor_based' ? (prev as CursorState) : undefined;
  let condition: string | undefined;
  if (saved?.cursor != null) {
    let op = '>';
    if (saved.cursor_record_count > 0) {
      const [c] = await query<{ n: string }>(o.session.coordinator, `SELECT count(*)::text AS n FROM ${qualifiedName(rel)} WHERE ${col} = ${literal(saved.cursor)}`, [], 'count cursor ties');
      if (Number(c!.n) !== saved.cursor_record_count) op = '>=';
    }
    condition = `${col} ${op} ${literal(saved.cursor)}`;
  } else {
    condition = `${col} IS NOT NULL`;
  }
  let max: string | null = null;
  let atMax = 0;
  let rows = 0;
  // The cursor value as the state keeps it: the official format of the column (what the data holds).
  const cursorOut = `(${selectSql(column.type, `${ROW}.${col}`)})::text`;
  await o.session.withReader((client) => copyRecords(client, recordSelect(q, condition, `${ROW}.${col}`, cursorOut), {
    emit: o.emit, stream: rel.name, namespace: rel.schema, emittedAt: o.emittedAt, signal: o.signal,
    onExtra: (v) => {
      rows++;
      if (v === null) return;
      if (v === max) atMax++;
      else { max = v; atMax = 1; } // rows come in cursor order, so ties are adjacent
    },
  }));
  if (rows === 0) {
    await o.saveState(rel, saved ?? { ...base, cursor: null, cursor_record_count: 0 });
    return;
  }
  await o.saveState(rel, { ...base, cursor: max, cursor_record_count: atMax } satisfies CursorState);
}

async function cursorMaximum(session: SnapshotSession, rel: Relation, column: Column, base: Omit<CursorState, 'cursor' | 'cursor_record_count'>): Promise<CursorState> {
  const col = quoteIdent(column.name);
  const [r] = await query<{ cursor: string | null; n: string }>(session.coordinator, `
    WITH m AS (SELECT max(${col}) AS v FROM ${qualifiedName(rel)})
    SELECT (SELECT ${selectSql(column.type, 'm.v')} FROM m)::text AS cursor,
           (SELECT count(*) FROM ${qualifiedName(rel)}, m WHERE ${col} = m.v)::text AS n`, [], 'read cursor maximum');
  return { ...base, cursor: r!.cursor, cursor_record_count: Number(r!.n) } as CursorState;
}

/** Xmin incremental, as upstream: initial load by ctid, then rows whose xmin is at or after the saved xid. */
export async function readXminIncremental(rel: Relation, configured: ConfiguredAirbyteStream, o: StreamReadOptions, current: XminState): Promise<void> {
  if (!rel.hasCtid) {
    throw new SourceConfigError('Xmin replication cannot read views', { context: { stream: `${rel.schema}.${rel.name}` }, hint: 'Sync the view with full refresh' });
  }
  const q: TableQuery = { relation: rel, columns: selectedColumns(rel, configured) };
  const prev = o.state.get<CtidState | XminState>(rel.name, rel.schema);
  const kind = stateType(prev);
  const condition = kind === 'xmin' ? xminCondition(prev as XminState, current) : undefined;
  if (condition === undefined) {
    if (kind === 'xmin') await o.log('WARN', `${rel.schema}.${rel.name}: the transaction ids wrapped around twice or more since the last sync: reading the whole table again`);
    const resumeCtid = kind === 'ctid' && (prev as CtidState).incremental_state?.state_type === 'xmin' ? (prev as CtidState) : undefined;
    const target = (resumeCtid?.incremental_state as XminState | undefined) ?? current;
    await readByCtid(o.session, q, o, {
      parallel: o.parallel, rowsPerChunk: o.rowsPerChunk, ...(resumeCtid ? { resume: resumeCtid } : {}),
      onCheckpoint: (b) => o.saveState(rel, { version: 2, state_type: 'ctid', ...b, incremental_state: target } satisfies CtidState),
    });
    await o.saveState(rel, target);
    return;
  }
  await o.session.withReader((client) => copyRecords(client, recordSelect(q, condition), {
    emit: o.emit, stream: rel.name, namespace: rel.schema, emittedAt: o.emittedAt, signal: o.signal,
  }));
  await o.saveState(rel, current);
}

export { currentXmin };
