import {
  ConnectionFileError, StreamNotFoundError,
  type AirbyteCatalog, type AirbyteStream, type ConfiguredAirbyteCatalog, type ConfiguredAirbyteStream,
} from '../../protocol/index.js';
import type { StreamSetting } from './connection-file.js';
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
export function deriveCatalog(discovered: AirbyteCatalog, settings: readonly StreamSetting[] | undefined, options: { syncId: number; mapper: NamespaceMapper; file?: string }): DerivedCatalogs {
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
    let syncMode = setting?.sync_mode;
    if (syncMode === 'incremental' && !supportsIncremental) throw new ConnectionFileError('The stream does not support incremental sync', { context: where });
    if (syncMode === 'incremental' && !hasCursor) throw new ConnectionFileError('An incremental stream needs a cursor_field', { context: where });
    if (syncMode === 'full_refresh' && !stream.supported_sync_modes.includes('full_refresh')) throw new ConnectionFileError('The stream does not support full refresh', { context: where });
    syncMode ??= supportsIncremental && hasCursor ? 'incremental' : stream.supported_sync_modes.includes('full_refresh') ? 'full_refresh' : 'incremental';
    const pk = stream.source_defined_primary_key?.length ? stream.source_defined_primary_key : setting?.primary_key;
    let destMode = setting?.destination_sync_mode;
    if ((destMode === 'append_dedup') && !pk?.length) throw new ConnectionFileError('append_dedup needs a primary_key', { context: where });
    destMode ??= syncMode === 'full_refresh' ? 'overwrite' : pk?.length ? 'append_dedup' : 'append';
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
