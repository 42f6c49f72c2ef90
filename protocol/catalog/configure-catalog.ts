import { StreamNotFoundError } from '../errors/index.js';
import type { AirbyteCatalog, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../generated/types.js';

export interface ConfigureOptions {
  /** Only these streams (by name); default all. */
  streams?: readonly string[];
  /** Incremental where the stream supports it and has a cursor (default); false: full refresh everywhere. */
  incremental?: boolean;
}

/**
 * A configured catalog from a discovered one (what `airdock read` without `--catalog`, the conformance
 * kit and tests use): every stream, or the named ones; incremental with the source's cursor where the
 * stream supports it, unless `incremental: false`; full refresh writes overwrite, incremental writes
 * append. Refresh ids are always set, as the platform does (0: no generation to clean up).
 */
export function configureCatalog(catalog: AirbyteCatalog, o: ConfigureOptions = {}): ConfiguredAirbyteCatalog {
  const streams = pickStreams(catalog.streams, o.streams, (s) => s.name);
  return {
    streams: streams.map((stream): ConfiguredAirbyteStream => {
      const cursor = stream.default_cursor_field;
      const incremental = o.incremental !== false && stream.supported_sync_modes.includes('incremental') && (stream.source_defined_cursor === true || (cursor?.length ?? 0) > 0);
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        ...(incremental && cursor?.length ? { cursor_field: cursor } : {}),
        destination_sync_mode: incremental ? 'append' : 'overwrite',
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
        generation_id: 0, minimum_generation_id: 0, sync_id: 0,
      };
    }),
  };
}

/** Keeps only the named streams of a configured catalog. */
export function selectStreams(catalog: ConfiguredAirbyteCatalog, names: readonly string[] | undefined): ConfiguredAirbyteCatalog {
  return { ...catalog, streams: pickStreams(catalog.streams, names, (s) => s.stream.name) };
}

function pickStreams<T>(all: readonly T[], names: readonly string[] | undefined, nameOf: (t: T) => string): T[] {
  if (!names || names.length === 0) return [...all];
  const known = new Set(all.map(nameOf));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length > 0) {
    throw new StreamNotFoundError('The catalog has no stream with that name', { context: { streams: missing.join(','), available: [...known].slice(0, 20).join(',') } });
  }
  const wanted = new Set(names);
  return all.filter((s) => wanted.has(nameOf(s)));
}
