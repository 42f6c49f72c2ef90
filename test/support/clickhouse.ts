/**
 * The ClickHouse server the CI setup starts (scripts/setup/clickhouse.sh: the ClickHouse engine from chDB
 * behind our HTTP front). Tests make a database of their own with a unique name and drop it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { requireEnv } from './services.js';

export interface ClickHouseTestEnv { url: string; host: string; port: number; username: string; password: string }

export function clickhouseEnv(): ClickHouseTestEnv {
  const url = new URL(requireEnv('CLICKHOUSE_URL'));
  return { url: url.origin, host: url.hostname, port: Number(url.port), username: requireEnv('CLICKHOUSE_USER'), password: requireEnv('CLICKHOUSE_PASSWORD') };
}

/** A client for assertions (not the connector's own). */
export function testClient(database = 'default'): ClickHouseClient {
  const e = clickhouseEnv();
  return createClient({ url: e.url, username: e.username, password: e.password, database, request_timeout: 120_000, log: { level: ClickHouseLogLevel.ERROR } });
}

/** Fails with what to run when the server does not answer, so tests never skip for lack of it. */
export async function requireClickHouse(): Promise<ClickHouseClient> {
  const c = testClient();
  const ping = await c.ping();
  if (!ping.success) {
    await c.close();
    throw new Error(`ClickHouse does not answer on ${clickhouseEnv().url} (${String((ping as { error?: unknown }).error)}): run \`sudo bash scripts/ci-setup.sh\` (or \`npm test\`)`);
  }
  return c;
}

/** A unique database name for one test (databases are shared by every worktree using the server). */
export function uniqueDatabase(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

export async function rows<T = Record<string, unknown>>(c: ClickHouseClient, query: string): Promise<T[]> {
  return (await c.query({ query, format: 'JSONEachRow' })).json<T>();
}

/** The official-style config for the native destination (and its test server). */
export function destinationConfig(database: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const e = clickhouseEnv();
  return { host: e.host, port: String(e.port), protocol: 'http', database, username: e.username, password: e.password, ...extra };
}

/** The official-style config for the native source. */
export function sourceConfig(database: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const e = clickhouseEnv();
  return { host: e.host, port: e.port, database, username: e.username, password: e.password, ssl: false, ...extra };
}
