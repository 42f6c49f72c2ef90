import { SourceAccessError, SourceConfigError } from '../../protocol/index.js';
import { cdcConfig, schemasOf, type PostgresSourceConfig } from './postgres-config.js';
import { Database, query } from './database.js';
import { quoteIdent } from './relations.js';

/**
 * `check`: connects (to the replica too, when set), then checks the schemas and the user's rights on
 * them; for CDC also wal_level, the slot (plugin pgoutput, this database) and the publication. Each
 * failure names what to run on the server.
 */
export async function checkSource(config: PostgresSourceConfig): Promise<{ message?: string }> {
  await using db = Database.create(config);
  const client = await db.connect('primary');
  const schemas = schemasOf(config);
  const found = await query<{ nspname: string; usage: boolean }>(client,
    `SELECT nspname, has_schema_privilege(oid, 'USAGE') AS usage FROM pg_namespace WHERE nspname = ANY($1::text[])`, [schemas], 'check schemas');
  for (const s of schemas) {
    const f = found.find((x) => x.nspname === s);
    if (!f) throw new SourceAccessError('A configured schema does not exist', { context: { schema: s }, hint: 'Check the schemas list in the config (names are case-sensitive)' });
    if (!f.usage) throw new SourceAccessError('The user has no USAGE privilege on a configured schema', { context: { schema: s }, hint: `Run: GRANT USAGE ON SCHEMA ${quoteIdent(s)} TO ${quoteIdent(config.username)}; GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(s)} TO ${quoteIdent(config.username)};` });
  }
  const cdc = cdcConfig(config);
  if (cdc) await checkCdc(client, config, cdc.replication_slot, cdc.publication);
  if (db.readsFromReplica) {
    const reads = await db.connect('reads');
    const [r] = await query<{ standby: boolean }>(reads, 'SELECT pg_is_in_recovery() AS standby', [], 'check replica');
    const note = r?.standby ? '' : ' (note: the read_replica server is not in recovery, so it is not a standby)';
    if (cdc) return { message: `Table reads use the read replica; CDC changes always come from the replication slot on the primary${note}` };
    return { message: `Table reads use the read replica${note}` };
  }
  return {};
}

/** The CDC prerequisites; each failure names the statement to run. */
export async function checkCdc(client: import('pg').Client, config: PostgresSourceConfig, slot: string, publication: string): Promise<void> {
  const [wal] = await query<{ wal_level: string }>(client, `SELECT current_setting('wal_level') AS wal_level`, [], 'check wal_level');
  if (wal?.wal_level !== 'logical') {
    throw new SourceConfigError('CDC needs wal_level = logical on the server', { context: { wal_level: wal?.wal_level }, hint: 'Run: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL' });
  }
  const [role] = await query<{ ok: boolean }>(client, `SELECT rolreplication OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user`, [], 'check replication role');
  if (!role?.ok) {
    throw new SourceAccessError('CDC needs a user with the REPLICATION attribute', { hint: `Run: ALTER USER ${quoteIdent(config.username)} REPLICATION;` });
  }
  const [s] = await query<{ plugin: string; database: string; slot_type: string }>(client,
    `SELECT plugin, database, slot_type FROM pg_replication_slots WHERE slot_name = $1`, [slot], 'check replication slot');
  if (!s) {
    throw new SourceConfigError('The replication slot does not exist', { context: { replication_slot: slot }, hint: `Run: SELECT pg_create_logical_replication_slot('${slot.replace(/'/g, "''")}', 'pgoutput');` });
  }
  if (s.slot_type !== 'logical' || s.plugin !== 'pgoutput') {
    throw new SourceConfigError('The replication slot does not use the pgoutput plugin', { context: { replication_slot: slot, plugin: s.plugin }, hint: `Drop it and run: SELECT pg_create_logical_replication_slot('${slot.replace(/'/g, "''")}', 'pgoutput');` });
  }
  if (s.database !== config.database) {
    throw new SourceConfigError('The replication slot belongs to another database', { context: { replication_slot: slot, slot_database: s.database }, hint: 'Create a pgoutput slot in the configured database' });
  }
  const [p] = await query<{ n: string }>(client, `SELECT count(*)::text AS n FROM pg_publication WHERE pubname = $1`, [publication], 'check publication');
  if (p?.n === '0') {
    throw new SourceConfigError('The publication does not exist', { context: { publication }, hint: `Run: CREATE PUBLICATION ${quoteIdent(publication)} FOR TABLE <table1>, <table2>; (or FOR ALL TABLES)` });
  }
}
