import { describe, expect, it } from 'vitest';
import { StreamNotFoundError, validateConfiguredCatalog, type AirbyteCatalog } from '../index.js';
import { configureCatalog, selectStreams } from './configure-catalog.js';

const discovered: AirbyteCatalog = {
  streams: [
    { name: 'users', json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh', 'incremental'], source_defined_cursor: true, default_cursor_field: ['updated_at'], source_defined_primary_key: [['id']] },
    { name: 'products', json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh'] },
  ],
};

describe('configureCatalog', () => {
  it('all streams, full refresh when asked, valid', () => {
    const c = configureCatalog(discovered, { incremental: false });
    expect(c.streams.map((s) => [s.stream.name, s.sync_mode, s.destination_sync_mode])).toEqual([['users', 'full_refresh', 'overwrite'], ['products', 'full_refresh', 'overwrite']]);
    expect(validateConfiguredCatalog(c)).toEqual([]);
  });
  it('by default incremental where supported, with the default cursor', () => {
    expect(configureCatalog(discovered).streams.map((s) => s.sync_mode)).toEqual(['incremental', 'full_refresh']);
    const c = configureCatalog(discovered, { streams: ['users'] });
    expect(c.streams).toHaveLength(1);
    expect(c.streams[0]).toMatchObject({ sync_mode: 'incremental', cursor_field: ['updated_at'], destination_sync_mode: 'append', primary_key: [['id']], generation_id: 0 });
  });
  it('an unknown stream is StreamNotFoundError', () => {
    expect(() => configureCatalog(discovered, { streams: ['nope'] })).toThrow(StreamNotFoundError);
    expect(selectStreams(configureCatalog(discovered), ['products']).streams).toHaveLength(1);
  });
});
