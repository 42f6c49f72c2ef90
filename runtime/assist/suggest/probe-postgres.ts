import pg from 'pg';
import type { PostgresFacts, PostgresTable } from './postgres-facts.js';

export interface ProbeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Looks at a PostgreSQL server the way the suggestion rules need: SSL on, statement timeout, WAL
 * level, table sizes and keys in the configured schemas, publications and slots. Read-only
 * catalog queries, one connection, closed before returning.
 */
export async function probePostgres(config: Record<string, unknown>, o: ProbeOptions = {}): Promise<PostgresFacts> {
  const ssl = config.ssl_mode as { mode?: string } | undefined;
  const mode = ssl?.mode ?? (config.ssl === true ? 'require' : 'disable');
  const client = new pg.Client({
    host: String(config.host), port: Number(config.port ?? 5432), database: String(config.database ?? 'postgres'),
    user: String(config.username ?? ''), ...(typeof config.password === 'string' ? { password: config.password } : {}),
    ssl: mode === 'require' ? { rejectUnauthorized: false } : mode.startsWith('verify') ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: o.timeoutMs ?? 5000, application_name: 'airdock-suggest',
  });
  const onAbort = () => { void client.end().catch(() => undefined); };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    // What this user's sessions get (role and database settings included), before we set our own.
    const timeout = await client.query<{ statement_timeout: string }>('SHOW statement_timeout');
    await client.query(`SET statement_timeout = ${Math.round(o.timeoutMs ?? 5000)}`);
    const settings = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('ssl', 'wal_level')`);
    const get = (n: string) => settings.rows.find((r) => r.name === n)?.setting ?? '';
    const schemas = Array.isArray(config.schemas) && config.schemas.length > 0 ? config.schemas.map(String) : ['public'];
    const tables = await client.query<{ schema: string; name: string; rows: string; bytes: string; pk: string[] | null; cursors: string[] | null }>(
      `SELECT n.nspname AS schema, c.relname AS name,
              CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE COALESCE(s.n_live_tup, 0) END AS rows,
              pg_total_relation_size(c.oid) AS bytes,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
                 CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
              (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.atttypid IN ('timestamp'::regtype, 'timestamptz'::regtype, 'date'::regtype)
                  AND a.attname ~* '(updated|modified|changed|last_?update)') AS cursors
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) ORDER BY 1, 2`, [schemas]);
    const pubs = await client.query<{ pubname: string }>('SELECT pubname FROM pg_publication ORDER BY 1');
    const slots = await client.query<{ slot_name: string }>('SELECT slot_name FROM pg_replication_slots ORDER BY 1');
    return {
      ssl: get('ssl') === 'on',
      statementTimeoutMs: durationMs(timeout.rows[0]?.statement_timeout ?? '0'),
      walLevel: get('wal_level'),
      tables: tables.rows.map((r): PostgresTable => ({
        schema: r.schema, name: r.name, rows: Number(r.rows), bytes: Number(r.bytes), primaryKey: r.pk ?? [], cursorCandidates: r.cursors ?? [],
      })),
      publications: pubs.rows.map((r) => r.pubname),
      slots: slots.rows.map((r) => r.slot_name),
    };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL's duration text (`0`, `30000`, `5min`, `2h`) in milliseconds. */
function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?$/.exec(text.trim());
  if (!m) return 0;
  const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms']!;
  return Number(m[1]) * unit;
}
