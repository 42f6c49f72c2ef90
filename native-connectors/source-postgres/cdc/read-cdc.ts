import type pg from 'pg';
import type { ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../../protocol/index.js';
import { SourceStateError, SourceUnavailableError } from '../../../protocol/index.js';
import type { Emitter, StateView } from '../../sdk/index.js';
import { checkCdc } from '../check-source.js';
import { textToJson, type ColumnType } from '../column-types.js';
import { Database, query } from '../database.js';
import { cdcConfig, parallelReads, schemasOf, type PostgresSourceConfig } from '../postgres-config.js';
import { readFullRefresh, selectedColumns, type StreamReadOptions } from '../read-tables.js';
import { listRelations, quoteLiteral, type Relation } from '../relations.js';
import { SnapshotSession } from '../snapshot-session.js';
import { stateType, type CtidState } from '../state-shapes.js';
import { readByCtid } from '../table-read.js';
import { formatOffset, parseOffset, type CdcOffset } from './cdc-offset.js';
import { instantString, parseLsn, pgMicrosToMillis } from './lsn.js';
import { decodePgOutput, type RelationMessage, type TupleValue } from './pgoutput.js';
import { ReplicationStream } from './replication-stream.js';

/** Debezium's placeholder for a TOASTed value an UPDATE did not touch (REPLICA IDENTITY DEFAULT). */
const UNAVAILABLE = '"__debezium_unavailable_value"';
const CHECKPOINT_CHANGES = 10_000;

interface CdcStream { configured: ConfiguredAirbyteStream; rel: Relation; key: string }

/**
 * CDC, as upstream: tables without a saved position get an initial snapshot (ctid chunks of one
 * exported snapshot, rows stamped with the snapshot's LSN), then changes come from the replication
 * slot (pgoutput) from the saved LSN up to the WAL position seen after the snapshot, and the sync
 * ends. One GLOBAL state holds the position (shared_state) and each stream's snapshot progress.
 *
 * The slot's position is moved only to an LSN that came back to us in `--state`, i.e. that the
 * destination acknowledged (lsn_commit_behaviour "After loading Data in the destination", the
 * default); "While reading Data" moves it as soon as a state is emitted.
 */
export async function readCdc(config: PostgresSourceConfig, catalog: ConfiguredAirbyteCatalog, state: StateView, ctx: { emit: Emitter; signal: AbortSignal }): Promise<void> {
  const { emit, signal } = ctx;
  const cdc = cdcConfig(config)!;
  await using db = Database.create(config);
  const meta = await db.connect('primary');
  await checkCdc(meta, config, cdc.replication_slot, cdc.publication);
  const relations = await listRelations(meta, schemasOf(config));
  const emittedAt = Date.now();
  const streams: CdcStream[] = [];
  for (const configured of catalog.streams) {
    const { name, namespace } = configured.stream;
    const rel = relations.find((r) => r.name === name && r.schema === (namespace ?? 'public'));
    if (!rel) await emit.log('WARN', `Skipping stream ${namespace ?? ''}.${name}: no such table or view, or no SELECT privilege`);
    else streams.push({ configured, rel, key: `${rel.schema}.${rel.name}` });
  }

  const slot = await slotPosition(meta, cdc.replication_slot);
  let saved = parseOffset(state.shared);
  let resync = false;
  if (saved !== undefined && saved < slot) {
    if (cdc.invalid_cdc_cursor_position_behavior !== 'Re-sync data') {
      throw new SourceStateError('The replication slot has moved past the saved CDC position, so the changes in between are gone', {
        context: { replication_slot: cdc.replication_slot },
        hint: 'Reset the connection state (airdock state clear) for a full re-sync, or set invalid_cdc_cursor_position_behavior to "Re-sync data"; then sync more often or keep more WAL',
      });
    }
    await emit.log('WARN', 'The replication slot has moved past the saved CDC position: re-syncing every table (invalid_cdc_cursor_position_behavior = Re-sync data)');
    saved = undefined;
    resync = true;
  }
  // Without a saved position, changes are replayed from the slot's own position, which is older than
  // the snapshot: some changes arrive twice (the snapshot row carries the newer LSN), none is lost.
  const offset: CdcOffset = { lsn: saved ?? slot, txId: null, tsUsec: emittedAt * 1000 };
  const streamStates = new Map<string, { name: string; namespace: string; state: unknown }>();
  const done = (rel: Relation) => ({ stream_name: rel.name, stream_namespace: rel.schema, cursor_field: [] as string[] });
  const emitGlobal = () => emit.globalState(formatOffset(config.database, offset), [...streamStates.values()]);
  const saveState = (rel: Relation, s: unknown) => { streamStates.set(`${rel.schema}.${rel.name}`, { name: rel.name, namespace: rel.schema, state: s }); return emitGlobal(); };

  const incremental = streams.filter((s) => s.configured.sync_mode === 'incremental');
  const started = new Set<string>();
  const pending = new Map<string, CtidState | undefined>();
  for (const s of incremental) {
    const prev = resync ? undefined : state.get(s.rel.name, s.rel.schema);
    if (prev && stateType(prev) !== 'ctid') streamStates.set(s.key, { name: s.rel.name, namespace: s.rel.schema, state: prev });
    else pending.set(s.key, prev as CtidState | undefined);
  }

  // ---- snapshots (and the full refresh streams of this catalog), one consistent view
  const fullRefresh = streams.filter((s) => s.configured.sync_mode === 'full_refresh');
  if (pending.size > 0 || fullRefresh.length > 0) {
    const pool = await db.readPool();
    const parallel = parallelReads(config);
    await using session = await SnapshotSession.open(pool, parallel > 1);
    const [at] = await query<{ lsn: string }>(session.coordinator, 'SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn', [], 'read snapshot LSN');
    const snapshotLsn = parseLsn(at!.lsn);
    const o: StreamReadOptions = {
      session, state, parallel, rowsPerChunk: config.fetch_size ?? 200_000, emit, signal, emittedAt,
      log: (level, message) => emit.log(level, message), saveState,
    };
    const deadline = Date.now() + (cdc.initial_load_timeout_hours ?? 8) * 3_600_000;
    for (const s of streams) {
      signal.throwIfAborted();
      if (s.configured.sync_mode === 'full_refresh') {
        await emit.streamStatus(s.rel.name, 'STARTED', s.rel.schema);
        await readFullRefresh(s.rel, s.configured, o);
        await emit.streamStatus(s.rel.name, 'COMPLETE', s.rel.schema);
        continue;
      }
      if (!pending.has(s.key)) continue;
      if (Date.now() > deadline) {
        await emit.log('WARN', `initial_load_timeout_hours reached: the snapshot of ${s.key} continues in the next sync`);
        continue;
      }
      await emit.streamStatus(s.rel.name, 'STARTED', s.rel.schema);
      started.add(s.key);
      const props = (s.configured.stream.json_schema as { properties?: Record<string, unknown> }).properties ?? {};
      const extra = [
        ...('_ab_cdc_lsn' in props ? [{ name: '_ab_cdc_lsn', sql: `${snapshotLsn.toString()}::numeric` }] : []),
        ...('_ab_cdc_updated_at' in props ? [{ name: '_ab_cdc_updated_at', sql: `${quoteLiteral(instantString(emittedAt))}::text` }] : []),
        ...('_ab_cdc_deleted_at' in props ? [{ name: '_ab_cdc_deleted_at', sql: 'NULL::text' }] : []),
      ];
      const prev = pending.get(s.key);
      await readByCtid(session, { relation: s.rel, columns: selectedColumns(s.rel, s.configured), extra }, o, {
        parallel, rowsPerChunk: o.rowsPerChunk, ...(prev ? { resume: prev } : {}),
        onCheckpoint: (b) => saveState(s.rel, { version: 2, state_type: 'ctid', ...b } satisfies CtidState),
      });
      pending.delete(s.key);
      await saveState(s.rel, done(s.rel));
    }
  }

  // ---- changes from the slot, up to the WAL position seen now
  for (const s of incremental) if (!pending.has(s.key) && !started.has(s.key)) await emit.streamStatus(s.rel.name, 'STARTED', s.rel.schema);
  const [t] = await query<{ lsn: string }>(meta, 'SELECT pg_current_wal_lsn()::text AS lsn', [], 'read WAL position');
  const target = parseLsn(t!.lsn);
  await waitForSlot(meta, cdc.replication_slot, signal);
  const afterLoading = cdc.lsn_commit_behaviour !== 'While reading Data';
  const repl = await db.connect('primary', { replication: 'database' } as Partial<pg.ClientConfig>);
  const stream = ReplicationStream.start(repl, cdc.replication_slot, cdc.publication, offset.lsn, saved ?? slot);
  stream.status(true); // confirms the acknowledged position (if any) and asks how far the server is
  const tables = new Map(incremental.filter((s) => !pending.has(s.key)).map((s) => [s.key, s]));
  const relids = new Map<number, { msg: RelationMessage; target?: CdcTarget }>();
  const truncated = new Set<string>();
  let inTxn = false;
  let commitMs = 0;
  let xid = 0;
  let sinceState = 0;
  const poll = setInterval(() => { try { stream.status(true); } catch { /* closed */ } }, 1000);
  poll.unref();
  const idleMs = (cdc.initial_waiting_seconds ?? 1200) * 1000;
  let lastFrame = Date.now();
  const idle = setInterval(() => { if (Date.now() - lastFrame > idleMs) stream.close(); }, 1000);
  idle.unref();
  try {
    for await (const frame of stream.frames(signal)) {
      lastFrame = Date.now();
      if (frame.kind === 'keepalive') {
        if (!inTxn && frame.walEnd >= target) {
          if (frame.walEnd > offset.lsn) offset.lsn = frame.walEnd; // decoded that far: nothing of ours before it is still to come
          break;
        }
        continue;
      }
      const msg = decodePgOutput(frame.payload);
      if (msg.tag === 'begin') {
        if (msg.finalLsn > target) break; // committed after the sync started: the next sync takes it
        inTxn = true;
        commitMs = pgMicrosToMillis(msg.commitTime);
        xid = msg.xid;
      } else if (msg.tag === 'relation') {
        const s = tables.get(`${msg.schema}.${msg.table}`);
        relids.set(msg.relid, { msg, ...(s ? { target: cdcTarget(s, msg) } : {}) });
      } else if (msg.tag === 'insert' || msg.tag === 'update' || msg.tag === 'delete') {
        const r = relids.get(msg.relid)?.target;
        if (!r) continue;
        const deleted = msg.tag === 'delete';
        const json = changeJson(r, deleted ? msg.old : msg.new, frame.start, commitMs, deleted);
        const w = emit.recordLine(r.stream.rel.name, json, r.stream.rel.schema, emittedAt);
        sinceState++;
        if (w) await w;
      } else if (msg.tag === 'truncate') {
        for (const id of msg.relids) {
          const r = relids.get(id);
          const name = r ? `${r.msg.schema}.${r.msg.table}` : String(id);
          if (r?.target && !truncated.has(name)) {
            truncated.add(name);
            await emit.log('WARN', `TRUNCATE of ${name} is not replicated (as upstream, which skips truncates): run a full refresh of the stream to reflect it`);
          }
        }
      } else if (msg.tag === 'commit') {
        inTxn = false;
        offset.lsn = msg.endLsn;
        offset.txId = xid;
        offset.tsUsec = commitMs * 1000;
        if (sinceState >= CHECKPOINT_CHANGES) {
          sinceState = 0;
          await emitGlobal();
          if (!afterLoading) stream.confirm(offset.lsn);
        }
      }
    }
  } finally {
    clearInterval(poll);
    clearInterval(idle);
  }
  signal.throwIfAborted();
  await emitGlobal();
  if (!afterLoading) stream.confirm(offset.lsn);
  await emit.flush();
  stream.close();
  for (const s of incremental) if (!pending.has(s.key)) await emit.streamStatus(s.rel.name, 'COMPLETE', s.rel.schema);
}

interface CdcTarget {
  stream: CdcStream;
  /** Per position in the relation message: output name and type, or undefined when not selected. */
  columns: ({ name: string; type: ColumnType; prefix: string } | undefined)[];
  meta: { lsn: boolean; updatedAt: boolean; deletedAt: boolean };
}

function cdcTarget(s: CdcStream, msg: RelationMessage): CdcTarget {
  const props = (s.configured.stream.json_schema as { properties?: Record<string, unknown> }).properties;
  const selected = new Set(selectedColumns(s.rel, s.configured).map((c) => c.name));
  const byName = new Map(s.rel.columns.map((c) => [c.name, c]));
  let first = true;
  const columns = msg.columns.map((c) => {
    if (props && !selected.has(c.name)) return undefined;
    const type = byName.get(c.name)?.type ?? { kind: 'string' as const, nullNonFinite: false };
    const prefix = `${first ? '' : ','}${JSON.stringify(c.name)}:`;
    first = false;
    return { name: c.name, type, prefix };
  });
  const has = (k: string) => !props || k in props;
  return { stream: s, columns, meta: { lsn: has('_ab_cdc_lsn'), updatedAt: has('_ab_cdc_updated_at'), deletedAt: has('_ab_cdc_deleted_at') } };
}

/** One change as the record upstream emits: the row (key columns only, others null, for a delete) plus _ab_cdc_*. */
function changeJson(t: CdcTarget, tuple: TupleValue[], lsn: bigint, commitMs: number, deleted: boolean): string {
  let out = '{';
  let any = false;
  for (let i = 0; i < t.columns.length; i++) {
    const c = t.columns[i];
    if (!c) continue;
    const v = tuple[i];
    const json = v === undefined ? (c.type.kind === 'string' || c.type.kind === 'char' ? UNAVAILABLE : 'null') : textToJson(c.type, v);
    out += c.prefix + json;
    any = true;
  }
  const at = JSON.stringify(instantString(commitMs));
  const meta = [
    ...(t.meta.lsn ? [`"_ab_cdc_lsn":${lsn.toString()}`] : []),
    ...(t.meta.updatedAt ? [`"_ab_cdc_updated_at":${at}`] : []),
    ...(t.meta.deletedAt ? [`"_ab_cdc_deleted_at":${deleted ? at : 'null'}`] : []),
  ];
  if (meta.length > 0) out += (any ? ',' : '') + meta.join(',');
  return `${out}}`;
}

async function slotPosition(client: pg.Client, slot: string): Promise<bigint> {
  const [r] = await query<{ lsn: string | null }>(client, 'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [slot], 'read slot position');
  return r?.lsn ? parseLsn(r.lsn) : 0n;
}

/** A slot serves one reader: a previous read killed a moment ago may still hold it, so wait a little. */
async function waitForSlot(client: pg.Client, slot: string, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [r] = await query<{ active: boolean }>(client, 'SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot], 'check slot');
    if (!r?.active) return;
    signal.throwIfAborted();
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new SourceUnavailableError('The replication slot is in use by another connection', { context: { replication_slot: slot }, hint: 'Make sure only one sync reads this slot; the sync retries' });
}
