import { describe, expect, it } from 'vitest';
import type { AirbyteCatalog, AirdockError } from '../../protocol/index.js';
import type { DestinationSyncMode, StreamSetting } from './connection-file.js';
import { deriveCatalog } from './derive-catalog.js';
import { NamespaceMapper } from './namespace-mapper.js';

const catalog: AirbyteCatalog = { streams: [
  { name: 'users', namespace: 'app', json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh', 'incremental'], source_defined_cursor: true, default_cursor_field: ['updated_at'], source_defined_primary_key: [['id']] },
  { name: 'events', json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh', 'incremental'] },
  { name: 'static', json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh'] },
] };
const opts = { syncId: 1000, mapper: new NamespaceMapper() };

describe('deriveCatalog', () => {
  it('derives incremental where there is a cursor, dedup only with a primary key, overwrite for full refresh', () => {
    const { source } = deriveCatalog(catalog, undefined, opts);
    expect(source.streams.map((s) => [s.stream.name, s.sync_mode, s.destination_sync_mode])).toEqual([
      ['users', 'incremental', 'append_dedup'], ['events', 'full_refresh', 'overwrite'], ['static', 'full_refresh', 'overwrite'],
    ]);
    expect(source.streams[0]).toMatchObject({ cursor_field: ['updated_at'], primary_key: [['id']], generation_id: 1000, minimum_generation_id: 0, sync_id: 1000 });
    expect(source.streams[1]).toMatchObject({ minimum_generation_id: 1000 });
  });

  it('honours configured settings and rejects impossible ones', () => {
    const { source } = deriveCatalog(catalog, [{ name: 'events', sync_mode: 'incremental', cursor_field: ['ts'], destination_sync_mode: 'append' }], opts);
    expect(source.streams).toHaveLength(1);
    expect(source.streams[0]).toMatchObject({ sync_mode: 'incremental', cursor_field: ['ts'], destination_sync_mode: 'append' });
    expect(() => deriveCatalog(catalog, [{ name: 'static', sync_mode: 'incremental', cursor_field: ['x'] }], opts)).toThrow(/does not support incremental/);
    expect(() => deriveCatalog(catalog, [{ name: 'events', destination_sync_mode: 'append_dedup' }], opts)).toThrow(/needs a primary_key/);
    expect(() => deriveCatalog(catalog, [{ name: 'nope' }], opts)).toThrow(/not in the source catalog/);
  });

  it('maps the destination catalog and never sends update/soft_delete to the source', () => {
    const mapper = new NamespaceMapper({ definition: 'custom', format: 'raw', prefix: 'p_' });
    const { source, destination } = deriveCatalog(catalog, [{ name: 'users', destination_sync_mode: 'soft_delete' }], { syncId: 1, mapper });
    expect(source.streams[0]).toMatchObject({ destination_sync_mode: 'append', stream: { name: 'users', namespace: 'app' } });
    expect(destination.streams[0]).toMatchObject({ destination_sync_mode: 'soft_delete', stream: { name: 'p_users', namespace: 'raw' } });
  });

  it('picks only destination sync modes the destination declares (dedup when declared and keyed, else append)', () => {
    const modes = (m: readonly DestinationSyncMode[]) => deriveCatalog(catalog, undefined, { ...opts, destinationModes: m }).destination.streams.map((s) => [s.stream.name, s.sync_mode, s.destination_sync_mode]);
    expect(modes(['overwrite', 'append'])).toEqual([['users', 'incremental', 'append'], ['events', 'full_refresh', 'overwrite'], ['static', 'full_refresh', 'overwrite']]);
    expect(modes(['append'])).toEqual([['users', 'incremental', 'append'], ['events', 'full_refresh', 'append'], ['static', 'full_refresh', 'append']]);
    // Incremental cannot be written by overwrite alone: the stream is read whole instead.
    expect(modes(['overwrite'])).toEqual([['users', 'full_refresh', 'overwrite'], ['events', 'full_refresh', 'overwrite'], ['static', 'full_refresh', 'overwrite']]);
    expect(deriveCatalog(catalog, [{ name: 'users' }], { ...opts, destinationModes: ['append_dedup'] }).destination.streams[0]).toMatchObject({ sync_mode: 'incremental', destination_sync_mode: 'append_dedup' });
    // A destination that declares nothing keeps the old defaults.
    expect(modes([])[0]).toEqual(['users', 'incremental', 'append_dedup']);
  });

  it('fails before anything moves when a stream asks for a mode the destination lacks, naming the supported ones', () => {
    const run = (s: StreamSetting[], m: readonly DestinationSyncMode[]) => () => deriveCatalog(catalog, s, { ...opts, destinationModes: m, file: '/c.yaml' });
    const err = (() => { try { run([{ name: 'users', destination_sync_mode: 'append_dedup' }], ['overwrite', 'append'])(); } catch (e) { return e as AirdockError; } return undefined; })();
    expect(err?.code).toBe('AIRDOCK_CONNECTION_INVALID');
    expect(err?.message).toMatch(/destination does not support/);
    expect(err?.context).toMatchObject({ stream: 'users', destination_sync_mode: 'append_dedup', supported: 'overwrite,append' });
    expect(err?.hint).toMatch(/overwrite, append/);
    expect(run([{ name: 'static' }], ['append_dedup'])).toThrow(/no destination sync mode/);
    expect(run([{ name: 'users', sync_mode: 'incremental' }], ['overwrite'])).toThrow(/no destination sync mode/);
  });
});
