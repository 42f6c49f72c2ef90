/**
 * Helpers for tests of native:source-postgres against the PostgreSQL that scripts/ci-setup.sh starts:
 * a throw-away database per test file (unique name, so worktrees and runs never collide) and the
 * built connector as a process, the way the runtime launches it.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { runTargetCommand, type CommandInput, type CommandResult } from '../../native-connectors/sdk/testing/index.js';
import { repoRoot } from './repo-paths.js';
import { postgresEnv } from './services.js';

export const sourcePostgresMain = join(repoRoot, 'dist/native-connectors/source-postgres/main.js');
export const sourcePostgresTarget = { kind: 'command' as const, argv: [process.execPath, sourcePostgresMain] };

export interface TestDatabase extends AsyncDisposable {
  name: string;
  /** A superuser connection to the test database. */
  sql: pg.Client;
  /** An official-shaped config pointing at the test database (override anything). */
  config(extra?: Record<string, unknown>): Record<string, unknown>;
}

export async function createTestDatabase(tag: string): Promise<TestDatabase> {
  const env = postgresEnv();
  const name = `airdock_${tag}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ ...env });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const sql = new pg.Client({ ...env, database: name });
  await sql.connect();
  return {
    name,
    sql,
    config: (extra = {}) => ({
      host: env.host, port: env.port, database: name, username: env.user, password: env.password,
      schemas: ['public'], ssl_mode: { mode: 'disable' }, tunnel_method: { tunnel_method: 'NO_TUNNEL' },
      replication_method: { method: 'Standard' }, ...extra,
    }),
    async [Symbol.asyncDispose]() {
      await sql.end().catch(() => {});
      const a = new pg.Client({ ...env });
      await a.connect();
      try {
        // Slots pin the database (and WAL): drop the test's own before the database.
        const slots = await a.query<{ slot_name: string }>('SELECT slot_name FROM pg_replication_slots WHERE database = $1', [name]);
        for (const s of slots.rows) await a.query('SELECT pg_drop_replication_slot($1)', [s.slot_name]).catch(() => {});
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

export function runSource(command: string, input: CommandInput = {}): Promise<CommandResult> {
  return runTargetCommand(sourcePostgresTarget, command, input);
}

/** A configured catalog for the given streams of a discovered catalog. */
export function configured(catalog: { streams: Array<{ name: string; namespace?: string }> }, streams: Record<string, { sync_mode: 'full_refresh' | 'incremental'; cursor_field?: string[] }>) {
  return {
    streams: catalog.streams.filter((s) => s.name in streams).map((s) => ({
      stream: s,
      sync_mode: streams[s.name]!.sync_mode,
      destination_sync_mode: streams[s.name]!.sync_mode === 'incremental' ? 'append' : 'overwrite',
      ...(streams[s.name]!.cursor_field ? { cursor_field: streams[s.name]!.cursor_field } : {}),
    })),
  };
}

export const recordsOf = (r: CommandResult, stream?: string) =>
  r.messages.filter((m) => m.type === 'RECORD' && (!stream || m.record!.stream === stream)).map((m) => m.record!.data as Record<string, unknown>);
export const statesOf = (r: CommandResult) => r.messages.filter((m) => m.type === 'STATE').map((m) => m.state!);
export const catalogOf = (r: CommandResult) => r.messages.find((m) => m.type === 'CATALOG')!.catalog!;
