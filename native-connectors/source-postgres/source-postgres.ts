import type { AirbyteCatalog } from '../../protocol/index.js';
import { defineSource } from '../sdk/index.js';
import { checkSource } from './check-source.js';
import { Database, query } from './database.js';
import { toAirbyteStream } from './discover-streams.js';
import { cdcConfig, parallelReads, replicationMethod, schemasOf, type PostgresSourceConfig } from './postgres-config.js';
import { readCdc } from './cdc/read-cdc.js';
import { currentXmin, readCursorIncremental, readFullRefresh, readXminIncremental, type StreamReadOptions } from './read-tables.js';
import { listRelations } from './relations.js';
import { SnapshotSession } from './snapshot-session.js';
import { spec } from './spec.js';

/**
 * Drop-in for Airbyte's source-postgres 3.7.2: same config, stream names (namespace = schema), JSON
 * schemas and state shapes, for Standard (cursor), Xmin and CDC (pgoutput) replication.
 */
export const sourcePostgres = defineSource<PostgresSourceConfig>({
  spec,
  check: (config) => checkSource(config),

  async discover(config): Promise<AirbyteCatalog> {
    await using db = Database.create(config);
    const client = await db.connect('primary');
    const method = replicationMethod(config);
    const relations = await listRelations(client, schemasOf(config));
    const cdc = cdcConfig(config);
    const published = new Set<string>();
    if (cdc) {
      const rows = await query<{ schemaname: string; tablename: string }>(client, 'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1', [cdc.publication], 'list publication tables');
      for (const r of rows) published.add(`${r.schemaname}.${r.tablename}`);
    }
    return { streams: relations.map((r) => toAirbyteStream(r, method, published)) };
  },

  async read(config, catalog, state, { emit, signal }) {
    if (cdcConfig(config) && catalog.streams.some((s) => s.sync_mode === 'incremental')) {
      await readCdc(config, catalog, state, { emit, signal });
      return;
    }
    await using db = Database.create(config);
    const pool = await db.readPool();
    const parallel = parallelReads(config);
    const probe = await pool.connect();
    let relations;
    try { relations = await listRelations(probe, schemasOf(config)); } finally { probe.release(); }
    await using session = await SnapshotSession.open(pool, parallel > 1);
    const method = replicationMethod(config);
    const xmin = method === 'Xmin' ? await currentXmin(session.coordinator) : undefined;
    const o: StreamReadOptions = {
      session, state, parallel, rowsPerChunk: config.fetch_size ?? 200_000, emit, signal, emittedAt: Date.now(),
      log: (level, message) => emit.log(level, message),
      saveState: (rel, s) => emit.streamState(rel.name, s, rel.schema),
    };
    for (const configured of catalog.streams) {
      signal.throwIfAborted();
      const { name, namespace } = configured.stream;
      const rel = relations.find((r) => r.name === name && r.schema === (namespace ?? 'public'));
      if (!rel) {
        await emit.log('WARN', `Skipping stream ${namespace ?? ''}.${name}: no such table or view, or no SELECT privilege`);
        continue;
      }
      await emit.streamStatus(rel.name, 'STARTED', rel.schema);
      if (configured.sync_mode === 'full_refresh') await readFullRefresh(rel, configured, o);
      else if (xmin) await readXminIncremental(rel, configured, o, xmin);
      else await readCursorIncremental(rel, configured, o);
      await emit.streamStatus(rel.name, 'COMPLETE', rel.schema);
    }
  },
});
