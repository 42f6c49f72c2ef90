import { fieldInfo } from '../field-finders.js';
import { LARGE_TABLE_ROWS, type ConnectionFacts, type Suggestion } from './suggestion.js';

/** CDC that cannot start: no publication or slot, or a server without logical decoding. */
export function cdcReadiness(c: ConnectionFacts): Suggestion[] {
  const s = c.source;
  const method = s.config.replication_method as Record<string, unknown> | undefined;
  if (!s.spec?.properties?.replication_method || method?.method !== 'CDC') return [];
  const out: Suggestion[] = [];
  const publication = typeof method.publication === 'string' ? method.publication : undefined;
  const slot = typeof method.replication_slot === 'string' ? method.replication_slot : undefined;
  if (!publication) {
    out.push({
      id: 'correctness.cdc-publication', category: 'correctness', severity: 'critical', side: 'source', basis: 'spec',
      message: 'replication_method is CDC without a publication: CDC reads the tables of a publication; name one and create it',
      change: { file: [{ op: 'set', path: ['source', 'config', 'replication_method', 'publication'], value: 'airbyte_publication' }], sql: 'CREATE PUBLICATION airbyte_publication FOR ALL TABLES;' },
      safe: false,
    });
  }
  const pg = s.postgres;
  if (!pg) return out;
  if (publication && !pg.publications.includes(publication)) {
    out.push({
      id: 'correctness.cdc-publication', category: 'correctness', severity: 'critical', side: 'source', basis: 'service',
      message: `the publication "${publication}" does not exist on the server: CDC cannot start; create it (or name an existing one: ${pg.publications.join(', ') || 'none exist'})`,
      change: { sql: `CREATE PUBLICATION ${ident(publication)} FOR ALL TABLES;` }, safe: false,
    });
  }
  if (slot && !pg.slots.includes(slot)) {
    out.push({
      id: 'correctness.cdc-slot', category: 'correctness', severity: 'critical', side: 'source', basis: 'service',
      message: `the replication slot "${slot}" does not exist on the server: CDC cannot start; create it with the pgoutput plugin`,
      change: { sql: `SELECT pg_create_logical_replication_slot('${slot.replace(/'/g, "''")}', 'pgoutput');` }, safe: false,
    });
  }
  if (pg.walLevel !== 'logical') {
    out.push({
      id: 'correctness.cdc-wal-level', category: 'correctness', severity: 'critical', side: 'source', basis: 'service',
      message: `wal_level is "${pg.walLevel}": CDC needs logical decoding; set it and restart PostgreSQL`,
      change: { sql: 'ALTER SYSTEM SET wal_level = logical;' }, safe: false,
    });
  }
  return out;
}

/** No statement timeout anywhere: a stuck query holds its locks and the sync never ends. */
export function statementTimeout(c: ConnectionFacts): Suggestion[] {
  const s = c.source;
  const props = s.spec?.properties ?? {};
  const key = Object.keys(props).find((k) => fieldInfo(k, props[k]!).kind === 'duration' && /statement/.test(k));
  if (!key || s.config[key] !== undefined) return [];
  if (s.postgres && s.postgres.statementTimeoutMs > 0) return [];
  return [{
    id: 'monitoring.statement-timeout', category: 'monitoring', severity: 'warning', side: 'source', basis: s.postgres ? 'service' : 'spec',
    message: `no statement timeout${s.postgres ? ' (the server has none for this user either)' : ''}: a query stuck on a lock keeps the sync running forever instead of failing where you can see it; set one above your longest table read`,
    change: { file: [{ op: 'set', path: ['source', 'config', key], value: 3_600_000 }] }, safe: false,
  }];
}

/** Large tables read one at a time over one connection; or a pool smaller than the parallel reads. */
export function parallelReads(c: ConnectionFacts): Suggestion[] {
  const s = c.source;
  const props = s.spec?.properties ?? {};
  const infos = Object.entries(props).map(([k, p]) => fieldInfo(k, p));
  const parallel = infos.find((f) => f.kind === 'parallel' && !f.node.airbyte_hidden);
  const pool = infos.find((f) => f.kind === 'pool' && !f.node.airbyte_hidden);
  const out: Suggestion[] = [];
  const current = parallel ? Number(s.config[parallel.key] ?? parallel.node.default ?? 1) : undefined;
  const large = s.postgres?.tables.filter((t) => t.rows >= LARGE_TABLE_ROWS) ?? [];
  if (parallel && current !== undefined && current <= 1 && large.length > 0) {
    out.push({
      id: 'performance.parallel-reads', category: 'performance', severity: 'warning', side: 'source', basis: 'service',
      message: `${large.length} table${large.length === 1 ? '' : 's'} of over ${LARGE_TABLE_ROWS / 1e6} M rows (${large.map((t) => t.name).join(', ')}) are read one range at a time; read in parallel (more load on the database while the sync runs)`,
      change: { file: [{ op: 'set', path: ['source', 'config', parallel.key], value: 4 }, ...(pool && Number(s.config[pool.key] ?? 0) < 4 ? [{ op: 'set' as const, path: ['source', 'config', pool.key], value: 4 }] : [])] },
      safe: false,
    });
  }
  if (parallel && pool && typeof s.config[pool.key] === 'number' && typeof s.config[parallel.key] === 'number' && (s.config[pool.key] as number) < (s.config[parallel.key] as number)) {
    out.push({
      id: 'performance.pool-smaller-than-parallelism', category: 'performance', severity: 'warning', side: 'source', basis: 'spec',
      message: `${pool.key} (${String(s.config[pool.key])}) is smaller than ${parallel.key} (${String(s.config[parallel.key])}): parallel readers wait for connections`,
      change: { file: [{ op: 'set', path: ['source', 'config', pool.key], value: s.config[parallel.key] }] }, safe: true,
    });
  }
  return out;
}

function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
