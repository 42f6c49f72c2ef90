import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { requireEnv } from '../support/services.js';

/**
 * `airdock suggest` against the PostgreSQL the test command starts: a 1.2 M-row table with an
 * updated_at column, CDC configured with a publication and slot that do not exist, SSL "prefer".
 */
const schema = `airdock_suggest_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'airdock-suggest-pg-'));
const conn = () => ({ host: requireEnv('PGHOST'), port: Number(requireEnv('PGPORT')), user: requireEnv('PGUSER'), password: requireEnv('PGPASSWORD'), database: requireEnv('PGDATABASE') });
let ssl = false;

beforeAll(async () => {
  const c = new pg.Client(conn());
  await c.connect();
  try {
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.query(`CREATE TABLE ${schema}.events (id bigint PRIMARY KEY, payload text, updated_at timestamptz NOT NULL DEFAULT now())`);
    await c.query(`INSERT INTO ${schema}.events (id, payload) SELECT g, 'x' FROM generate_series(1, 1200000) g`);
    await c.query(`CREATE TABLE ${schema}.tags (name text)`);
    await c.query(`ANALYZE ${schema}.events`);
    ssl = (await c.query<{ ssl: string }>('SHOW ssl')).rows[0]!.ssl === 'on';
  } finally {
    await c.end();
  }
}, 120_000);

afterAll(async () => {
  const c = new pg.Client(conn());
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
  rmSync(dir, { recursive: true, force: true });
});

describe('airdock suggest on live PostgreSQL', () => {
  it('finds the large table to read incrementally, the missing publication and slot, and no statement timeout', async () => {
    const { host, port, user, database } = conn();
    const file = join(dir, 'pg.yaml');
    writeFileSync(file, `# live suggest test
name: pg-live
source:
  connector: source-postgres
  config:
    host: ${host}
    port: ${port}
    database: ${database}
    username: ${user}
    password: \${SUGGEST_PG_PASSWORD}
    schemas: [${schema}]
    ssl_mode: { mode: prefer }
    replication_method: { method: CDC, replication_slot: ${schema}_slot, publication: ${schema}_pub }
destination:
  connector: native:destination-dev-null
  config: { test_destination: { test_destination_type: SILENT } }
streams:
  - { name: tags, destination_sync_mode: append_dedup }
`);
    const r = await runCli(['suggest', file, '--json'], { env: { AIRDOCK_OFFLINE: '1', AIRDOCK_HOME: join(dir, 'home'), SUGGEST_PG_PASSWORD: requireEnv('PGPASSWORD') }, cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { suggestions: Array<{ id: string; basis: string; safe: boolean; message: string; change: { file?: Array<{ path: unknown[]; value: unknown }>; sql?: string } }>; notes: string[] };
    const byId = (id: string) => out.suggestions.filter((s) => s.id === id);
    expect(r.stdout).not.toContain(requireEnv('PGPASSWORD') === 'postgres' ? '"postgres:' : requireEnv('PGPASSWORD'));

    const incremental = byId('performance.incremental');
    expect(incremental).toHaveLength(1);
    expect(incremental[0]!.message).toMatch(new RegExp(`^${schema}\\.events has about 1\\.2 M rows .* cursor column \\(updated_at\\)`));
    expect(incremental[0]!.change.file).toEqual([{ op: 'set', path: ['streams', 1], value: { name: 'events', namespace: schema, sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['updated_at'], primary_key: [['id']] } }]);

    expect(byId('correctness.cdc-publication')[0]).toMatchObject({ basis: 'service', change: { sql: `CREATE PUBLICATION ${schema}_pub FOR ALL TABLES;` } });
    expect(byId('correctness.cdc-slot')[0]!.change.sql).toBe(`SELECT pg_create_logical_replication_slot('${schema}_slot', 'pgoutput');`);
    expect(byId('correctness.dedup-without-key')[0]).toMatchObject({ basis: 'service', change: { file: [{ path: ['streams', 0, 'destination_sync_mode'], value: 'append' }] } });
    expect(byId('performance.parallel-reads')[0]!.message).toContain('(events)');
    expect(byId('monitoring.statement-timeout')[0]).toMatchObject({ basis: 'service' });
    // SSL "prefer" against this server: applying "require" is safe exactly when the server has SSL on.
    expect(byId('security.ssl-mode')[0]).toMatchObject({ safe: ssl, basis: ssl ? 'service' : 'spec' });
    expect(byId('security.secret-in-clear')).toEqual([]);
  });

  it('says so, and still suggests from the spec, when the database does not answer', async () => {
    const file = join(dir, 'down.yaml');
    writeFileSync(file, `name: pg-down
source:
  connector: source-postgres
  config: { host: 127.0.0.1, port: 1, database: x, username: x, password: "\${NOPE_PW}", ssl_mode: { mode: disable } }
destination:
  connector: native:destination-dev-null
  config: { test_destination: { test_destination_type: SILENT } }
`);
    const r = await runCli(['suggest', file, '--json'], { env: { AIRDOCK_OFFLINE: '1', AIRDOCK_HOME: join(dir, 'home'), NOPE_PW: 'secret-xyz' }, cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { suggestions: Array<{ id: string }>; notes: string[] };
    expect(out.notes.join('\n')).toContain('source-postgres: the database did not answer (ECONNREFUSED)');
    expect(out.suggestions.map((s) => s.id)).toContain('security.ssl-mode');
    expect(r.stdout + r.stderr).not.toContain('secret-xyz');
  });
});
