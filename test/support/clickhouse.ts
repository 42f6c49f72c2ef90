/**
 * The ClickHouse server the CI setup starts (scripts/setup/clickhouse.sh: the ClickHouse engine from chDB
 * behind our HTTP front). Tests make a database of their own with a unique name and drop it afterwards.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot } from './repo-paths.js';
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

/** A native:destination-clickhouse `write` process fed by the test: lines in, output lines collected. */
export function startDestinationWrite(config: object, catalog: object): { child: ChildProcessWithoutNullStreams; out: string[]; err: () => string; done: Promise<number>; waitFor: (pred: (lines: string[]) => boolean) => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-ch-'));
  writeFileSync(join(dir, 'c.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'cat.json'), JSON.stringify(catalog));
  const main = join(repoRoot, 'dist/native-connectors/destination-clickhouse/main.js');
  const child = spawn(process.execPath, [main, 'write', '--config', join(dir, 'c.json'), '--catalog', join(dir, 'cat.json')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: string[] = [];
  let buf = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { buf += d; const p = buf.split('\n'); buf = p.pop()!; out.push(...p.filter(Boolean)); });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdin.on('error', () => {}); // a destination that fails early is judged by its output
  const done = new Promise<number>((r) => child.once('close', (c) => r(c ?? 1)));
  const waitFor = async (pred: (lines: string[]) => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!pred(out)) {
      if (Date.now() > deadline) throw new Error(`timed out; stdout ${out.length} lines; stderr ${err}`);
      await Promise.race([done, new Promise((r) => setTimeout(r, 50))]);
    }
  };
  return { child, out, err: () => err, done, waitFor };
}

/** Runs a destination `write` over the given lines to the end. */
export async function destinationWrite(config: object, catalog: object, lines: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const w = startDestinationWrite(config, catalog);
  w.child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  return { code: await w.done, out: w.out, err: w.err() };
}

/**
 * For a test file: a client for assertions (`ch()`, ready in the tests) and `newDb(prefix)` for unique
 * database names, every one of them dropped after the file.
 */
export function useClickHouseDatabases(): { ch: () => ClickHouseClient; newDb: (prefix: string) => string } {
  const dbs: string[] = [];
  let client: ClickHouseClient | undefined;
  beforeAll(async () => { client = await requireClickHouse(); });
  afterAll(async () => {
    for (const d of dbs) await client?.command({ query: `DROP DATABASE IF EXISTS ${d}` });
    await client?.close();
  });
  return { ch: () => client!, newDb: (prefix) => { const d = uniqueDatabase(prefix); dbs.push(d); return d; } };
}
