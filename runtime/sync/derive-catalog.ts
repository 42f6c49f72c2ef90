import {
  ConnectionFileError, StreamNotFoundError,
  type AirbyteCatalog, type AirbyteStream, type ConfiguredAirbyteCatalog, type ConfiguredAirbyteStream,
} from '../../protocol/index.js';
import type { DestinationSyncMode, StreamSetting, SyncMode } from './connection-file.js';
import type { NamespaceMapper } from './namespace-mapper.js';

export interface DerivedCatalogs {
  /** What the source reads: raw descriptors, update/soft_delete replaced by append (old sources reject them). */
  source: ConfiguredAirbyteCatalog;
  /** What the destination writes: namespace/prefix mapping applied. */
  destination: ConfiguredAirbyteCatalog;
}

/**
 * Turns discover's catalog and the connection's optional stream settings into the configured
 * catalogs. Missing settings are derived: incremental where the stream supports it and has a cursor
 * (source-defined, default or configured), else full refresh; dedup only with a primary key;
 * full refresh writes overwrite, incremental writes append. A configured stream the source does
 * not have is an error here, before any data moves.
 */
export interface DeriveOptions {
  syncId: number;
  mapper: NamespaceMapper;
  file?: string;
  /** The destination spec's supported_destination_sync_modes; absent or empty: not declared, all allowed. */
  destinationModes?: readonly DestinationSyncMode[];
}

export function deriveCatalog(discovered: AirbyteCatalog, settings: readonly StreamSetting[] | undefined, options: DeriveOptions): DerivedCatalogs {
  const chosen: { stream: AirbyteStream; setting: StreamSetting | undefined }[] = [];
  if (settings) {
    for (const s of settings) {
      const matches = discovered.streams.filter((d) => d.name === s.name && (s.namespace === undefined || d.namespace === s.namespace));
      if (matches.length === 0) {
        throw new StreamNotFoundError('A configured stream is not in the source catalog', {
          context: { stream: s.name, namespace: s.namespace, available: discovered.streams.map((d) => d.name).slice(0, 20).join(',') },
        });
      }
      if (matches.length > 1) {
        throw new ConnectionFileError('A stream name exists in several namespaces; add its namespace', { context: { stream: s.name, file: options.file } });
      }
      chosen.push({ stream: matches[0]!, setting: s });
    }
  } else {
    for (const d of discovered.streams) chosen.push({ stream: d, setting: undefined });
  }
  const sourceStreams: ConfiguredAirbyteStream[] = [];
  const destinationStreams: ConfiguredAirbyteStream[] = [];
  // Generation ids: the sync id is a timestamp, so it grows across runs without storing a counter.
  const generation = options.syncId;
  for (const { stream, setting } of chosen) {
    const where = { stream: stream.name, file: options.file };
    const supportsIncremental = stream.supported_sync_modes.includes('incremental');
    const cursor = stream.source_defined_cursor ? stream.default_cursor_field ?? setting?.cursor_field : setting?.cursor_field ?? stream.default_cursor_field;
    const hasCursor = stream.source_defined_cursor === true || (cursor !== undefined && cursor.length > 0);
    if (setting?.sync_mode === 'incremental' && !supportsIncremental) throw new ConnectionFileError('The stream does not support incremental sync', { context: where });
    if (setting?.sync_mode === 'incremental' && !hasCursor) throw new ConnectionFileError('An incremental stream needs a cursor_field', { context: where });
    if (setting?.sync_mode === 'full_refresh' && !stream.supported_sync_modes.includes('full_refresh')) throw new ConnectionFileError('The stream does not support full refresh', { context: where });
    const pk = stream.source_defined_primary_key?.length ? stream.source_defined_primary_key : setting?.primary_key;
    if (setting?.destination_sync_mode === 'append_dedup' && !pk?.length) throw new ConnectionFileError('append_dedup needs a primary_key', { context: where });
    const { syncMode, destMode } = pickModes(stream, setting, { incremental: supportsIncremental && hasCursor, keyed: (pk?.length ?? 0) > 0 }, options.destinationModes, where);
    const base: ConfiguredAirbyteStream = {
      stream,
      sync_mode: syncMode,
      destination_sync_mode: destMode,
      ...(syncMode === 'incremental' && cursor ? { cursor_field: cursor } : {}),
      ...(pk?.length ? { primary_key: pk } : {}),
      generation_id: generation,
      minimum_generation_id: syncMode === 'full_refresh' && destMode === 'overwrite' ? generation : 0,
      sync_id: options.syncId,
    };
    sourceStreams.push({ ...base, destination_sync_mode: destMode === 'update' || destMode === 'soft_delete' ? 'append' : destMode });
    const mapped = options.mapper.map(stream.namespace === undefined ? { name: stream.name } : { name: stream.name, namespace: stream.namespace });
    const { namespace: _ns, ...rest } = stream;
    destinationStreams.push({ ...base, stream: { ...rest, name: mapped.name, ...(mapped.namespace === undefined ? {} : { namespace: mapped.namespace }) } });
  }
  return { source: { streams: sourceStreams }, destination: { streams: destinationStreams } };
}

/**
 * The (sync mode, destination sync mode) pair of a stream. Configured modes are kept (a destination
 * mode the destination does not declare is an error); missing ones are derived as before (incremental
 * where possible, full refresh writes overwrite, incremental writes append_dedup with a key), then
 * narrowed to what the destination declares, as the platform does: dedup when declared and keyed, else
 * append; an unconfigured stream the destination cannot take incrementally is read in full instead.
 */
function pickModes(
  stream: AirbyteStream, setting: StreamSetting | undefined, can: { incremental: boolean; keyed: boolean },
  declared: readonly DestinationSyncMode[] | undefined, where: { stream: string; file: string | undefined },
): { syncMode: SyncMode; destMode: DestinationSyncMode } {
  const allowed = (m: DestinationSyncMode) => !declared?.length || declared.includes(m);
  const supported = declared?.join(',');
  const wanted = setting?.destination_sync_mode;
  if (wanted && !allowed(wanted)) {
    throw new ConnectionFileError('The destination does not support this destination_sync_mode', {
      context: { ...where, destination_sync_mode: wanted, supported }, hint: `Use one of: ${declared!.join(', ')} (the destination's supported_destination_sync_modes)`,
    });
  }
  const fullRefresh = stream.supported_sync_modes.includes('full_refresh');
  const syncModes: SyncMode[] = setting?.sync_mode
    ? [setting.sync_mode]
    : can.incremental ? ['incremental', ...(fullRefresh ? ['full_refresh' as const] : [])] : fullRefresh ? ['full_refresh'] : ['incremental'];
  for (const syncMode of syncModes) {
    const modes: DestinationSyncMode[] = wanted ? [wanted] : syncMode === 'full_refresh' ? ['overwrite', 'append'] : can.keyed ? ['append_dedup', 'append'] : ['append'];
    const destMode = modes.find(allowed);
    if (destMode) return { syncMode, destMode };
  }
  throw new ConnectionFileError('The destination supports no destination sync mode this stream can use', {
    context: { ...where, sync_modes: syncModes.join(','), supported }, hint: `The destination takes only ${declared!.join(', ')}; set the stream's sync_mode and destination_sync_mode to a pair it accepts, or leave the stream out`,
  });
}
