import type { AirbyteCatalog, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../generated/types.js';
import { fail } from '../conformance-check.js';

/**
 * The catalog a read suite uses, as CAT builds it: the `configured_catalog_path` file with each
 * stream's schema taken from discover, or every discovered stream but the empty ones (first supported
 * sync mode, default cursor and primary key).
 */
export function readCatalog(discovered: AirbyteCatalog, custom: ConfiguredAirbyteCatalog | undefined, omit: readonly string[] = []): ConfiguredAirbyteCatalog {
  const byName = new Map(discovered.streams.map((s) => [s.name, s]));
  if (custom) {
    return {
      streams: custom.streams.map((cs) => {
        const fresh = byName.get(cs.stream.name);
        if (!fresh) fail(`the configured catalog names stream ${cs.stream.name}, which discover does not return`);
        return { ...cs, stream: fresh };
      }),
    };
  }
  return {
    streams: discovered.streams.filter((s) => !omit.includes(s.name)).map((s): ConfiguredAirbyteStream => ({
      stream: s,
      sync_mode: s.supported_sync_modes[0] ?? 'full_refresh',
      destination_sync_mode: 'append',
      ...(s.default_cursor_field?.length ? { cursor_field: s.default_cursor_field } : {}),
      ...(s.source_defined_primary_key?.length ? { primary_key: s.source_defined_primary_key } : {}),
    })),
  };
}

/** Only the streams that can be read in full, set to full_refresh (CAT's full_refresh_only_catalog). */
export function fullRefreshOnly(c: ConfiguredAirbyteCatalog): ConfiguredAirbyteCatalog {
  return { streams: c.streams.filter((s) => s.stream.supported_sync_modes.includes('full_refresh')).map((s) => ({ ...s, sync_mode: 'full_refresh' })) };
}

/** Only incremental streams, each with its cursor (CAT's configured_catalog_for_incremental). */
export function incrementalOnly(c: ConfiguredAirbyteCatalog): ConfiguredAirbyteCatalog {
  return {
    streams: c.streams.filter((s) => s.stream.supported_sync_modes.includes('incremental')).map((s) => {
      const cursor = s.cursor_field?.length ? s.cursor_field : s.stream.default_cursor_field;
      if (!cursor?.length) fail(`stream ${s.stream.name} is incremental but has neither a cursor_field in the configured catalog nor a default_cursor_field`);
      return { ...s, sync_mode: 'incremental', cursor_field: cursor };
    }),
  };
}
