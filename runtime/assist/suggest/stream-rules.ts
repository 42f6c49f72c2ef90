import type { AirbyteStream } from '../../../protocol/index.js';
import { LARGE_TABLE_ROWS, type ConnectionFacts, type StreamSettingLike, type Suggestion } from './suggestion.js';

/** What a sync derives for a stream without settings (the rules of runtime/sync/derive-catalog). */
export function derivedSetting(stream: AirbyteStream): StreamSettingLike {
  const incremental = stream.supported_sync_modes.includes('incremental') && (stream.source_defined_cursor === true || (stream.default_cursor_field?.length ?? 0) > 0);
  const pk = stream.source_defined_primary_key?.length ? stream.source_defined_primary_key : undefined;
  return {
    name: stream.name,
    ...(stream.namespace ? { namespace: stream.namespace } : {}),
    sync_mode: incremental ? 'incremental' : 'full_refresh',
    destination_sync_mode: !incremental ? 'overwrite' : pk ? 'append_dedup' : 'append',
    ...(incremental && stream.default_cursor_field?.length ? { cursor_field: stream.default_cursor_field } : {}),
    ...(pk ? { primary_key: pk } : {}),
  };
}

/**
 * No `streams:` in the file: each sync re-derives them from discover, so a new stream or a changed
 * cursor in the source silently changes what is copied. Writing down what is derived today changes
 * nothing now and makes later changes visible.
 */
export function pinStreams(c: ConnectionFacts): Suggestion[] {
  const catalog = c.source.discovered;
  if (c.streams || !catalog || catalog.streams.length === 0) return [];
  const value = catalog.streams.map(derivedSetting);
  return [{
    id: 'correctness.pin-streams', category: 'correctness', severity: 'info', basis: 'discover',
    message: `streams are not listed: each sync takes whatever discover returns (${catalog.streams.length} today: ${catalog.streams.map((s) => s.name).join(', ')}), so a stream added or changed in the source changes the sync without notice; list them as they are synced now`,
    change: { file: [{ op: 'set', path: ['streams'], value }] }, safe: true,
  }];
}

/** Full refresh of a large table that has a cursor column: read only the changes. */
export function incrementalForLargeTables(c: ConnectionFacts): Suggestion[] {
  const pg = c.source.postgres;
  if (!pg) return [];
  const out: Suggestion[] = [];
  for (const t of pg.tables) {
    if (t.rows < LARGE_TABLE_ROWS || t.cursorCandidates.length === 0) continue;
    const i = c.streams?.findIndex((s) => s.name === t.name && (s.namespace === undefined || s.namespace === t.schema)) ?? -1;
    const current = i >= 0 ? c.streams![i]! : undefined;
    if (current?.sync_mode === 'incremental') continue;
    const cursor = t.cursorCandidates[0]!;
    const setting: StreamSettingLike = {
      name: t.name, namespace: t.schema, sync_mode: 'incremental',
      destination_sync_mode: t.primaryKey.length > 0 ? 'append_dedup' : 'append', cursor_field: [cursor],
      ...(t.primaryKey.length > 0 ? { primary_key: [t.primaryKey] } : {}),
    };
    const streams = c.streams ?? [];
    const path = ['streams', i >= 0 ? i : streams.length];
    out.push({
      id: 'performance.incremental', category: 'performance', severity: 'warning', side: 'source', basis: 'service',
      message: `${t.schema}.${t.name} has about ${formatRows(t.rows)} rows and is read in full on every sync; it has a cursor column (${cursor}): read only new and changed rows`,
      change: { file: c.streams ? [{ op: 'set', path, value: setting }] : [{ op: 'set', path: ['streams'], value: [setting] }] },
      // Changing the sync mode changes what the destination holds: a decision, not a fix.
      safe: false,
    });
  }
  return out;
}

/** append_dedup with no primary key anywhere: the sync stops before copying anything. */
export function dedupWithoutKey(c: ConnectionFacts): Suggestion[] {
  const out: Suggestion[] = [];
  for (const [i, s] of (c.streams ?? []).entries()) {
    if (s.destination_sync_mode !== 'append_dedup' || s.primary_key?.length) continue;
    const discovered = c.source.discovered?.streams.find((d) => d.name === s.name);
    if (discovered?.source_defined_primary_key?.length) continue;
    const table = c.source.postgres?.tables.find((t) => t.name === s.name);
    if (!discovered && !table) continue;
    const pk = table?.primaryKey;
    out.push({
      id: 'correctness.dedup-without-key', category: 'correctness', severity: 'critical', side: 'destination', basis: table ? 'service' : 'discover',
      message: `stream ${s.name} asks for append_dedup but has no primary key${pk?.length ? '' : ' (the table has none either)'}: the sync fails before it starts`,
      change: { file: [pk?.length ? { op: 'set', path: ['streams', i, 'primary_key'], value: [pk] } : { op: 'set', path: ['streams', i, 'destination_sync_mode'], value: 'append' }] },
      safe: false,
    });
  }
  return out;
}

function formatRows(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${Math.round(n / 1e3)} k` : String(n);
}
