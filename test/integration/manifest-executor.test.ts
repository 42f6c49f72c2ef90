/**
 * The manifest executor with a real low-code connector: Rocket.Chat's manifest.yaml, taken at test time
 * from its PyPI wheel (cached by scripts/setup/python-wheels.sh), served by a local HTTP server standing
 * in for the registry and its metadata location, run on the CDK's declarative runner against a second
 * local server that answers like the Rocket.Chat REST API. As a user runs it: `bin/airdock`.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlinePythonEnv, processesMentioning, tempHome } from '../support/python-env.js';
import { runCli } from '../support/run-cli.js';
import { requireEnv } from '../support/services.js';

const VERSION = '0.1.13';
const TOKEN = 'rc-token-3f9a7c1e';
const USER_ID = 'u-airdock';
const home = tempHome('airdock-mfexec-');

let manifestText: string;
let registry: Server;
let api: Server;
let registryUrl: string;
let apiUrl: string;
const metadataHits: string[] = [];
const apiRequests: string[] = [];

const teams = Array.from({ length: 3 }, (_, i) => ({ _id: `t${i}`, name: `team ${i}`, type: 0, createdAt: '2024-01-0' + (i + 1) + 'T00:00:00.000Z' }));
const users = Array.from({ length: 5 }, (_, i) => ({ _id: `u${i}`, username: `user${i}`, name: `User ${i}`, active: true, type: 'user' }));

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}
const send = (res: import('node:http').ServerResponse, status: number, body: unknown, type = 'application/json') => {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

beforeAll(async () => {
  const wheel = requireEnv('AIRDOCK_TEST_ROCKET_CHAT_WHEEL');
  // A wheel is a zip; python3 (which the executor needs anyway) reads it.
  manifestText = execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("source_rocket_chat/manifest.yaml").decode())', wheel], { encoding: 'utf8' });
  ({ server: registry, url: registryUrl } = await listen((req, res) => {
    if (req.url === '/files/registries/v0/oss_registry.json') {
      return send(res, 200, {
        destinations: [],
        sources: [{
          sourceDefinitionId: '921d9608-3915-450b-8078-0af18801ea1b', name: 'Rocket.chat', dockerRepository: 'airbyte/source-rocket-chat',
          dockerImageTag: VERSION, language: 'manifest-only', tags: ['language:manifest-only', 'cdk:low-code'], supportLevel: 'community',
          remoteRegistries: { pypi: { enabled: false, packageName: 'airbyte-source-rocket-chat' } },
        }],
      });
    }
    if (req.url === `/files/metadata/airbyte/source-rocket-chat/${VERSION}/manifest.yaml`) {
      metadataHits.push(req.url);
      return send(res, 200, manifestText, 'application/yaml');
    }
    send(res, 404, 'not found', 'text/plain');
  }));
  ({ server: api, url: apiUrl } = await listen((req, res) => {
    const url = new URL(req.url!, 'http://x');
    apiRequests.push(`${url.pathname}${url.search}`);
    if (req.headers['x-auth-token'] !== TOKEN || req.headers['x-user-id'] !== USER_ID) {
      return send(res, 401, { status: 'error', message: 'You must be logged in to do this.' });
    }
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const count = Number(url.searchParams.get('count') ?? 50);
    const page = <T>(all: T[]) => all.slice(offset, offset + count);
    switch (url.pathname) {
      case '/api/v1/teams.list': return send(res, 200, { teams: page(teams), offset, count, total: teams.length, success: true });
      case '/api/v1/users.list': return send(res, 200, { users: page(users), offset, count, total: users.length, success: true });
      case '/api/v1/channels.list': return send(res, 200, { channels: [], offset, count, total: 0, success: true });
      case '/api/v1/rooms.get': case '/api/v1/subscriptions.get': return send(res, 200, { update: [], remove: [], success: true });
      case '/api/v1/roles.list': return send(res, 200, { roles: [], success: true });
      default: return send(res, 404, { success: false });
    }
  }));
  writeFileSync(join(home, 'rc.json'), JSON.stringify({ endpoint: apiUrl, token: TOKEN, user_id: USER_ID }));
  writeFileSync(join(home, 'rc-bad.json'), JSON.stringify({ endpoint: apiUrl, token: 'wrong-token-0000', user_id: USER_ID }));
});

afterAll(async () => {
  registry?.close();
  api?.close();
  expect(processesMentioning(home)).toEqual([]);
});

const env = (extra: Record<string, string> = {}) => ({
  AIRDOCK_HOME: home, AIRDOCK_REGISTRY: `${registryUrl}/files/registries/v0/oss_registry.json`, AIRDOCK_OFFLINE: '', AIRDOCK_PYTHON: '',
  ...offlinePythonEnv(), ...extra,
});
const airdock = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: env(extra), cwd: home, timeoutMs: 170_000 });
type Message = { type: string; record?: { stream: string; data: Record<string, unknown> } };
const records = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Message).filter((m) => m.type === 'RECORD').map((m) => m.record!);

describe('a manifest-only connector (Rocket.Chat) on the declarative runner', () => {
  it('the catalog says a bare name runs it as a manifest', async () => {
    const r = await airdock(['catalog', 'show', 'source-rocket-chat']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Executors:\s+manifest, image$/m);
    expect(r.stdout).toMatch(new RegExp(`^Runs as:\\s+manifest \\(airbyte/source-rocket-chat ${VERSION.replaceAll('.', '\\.')}\\)$`, 'm'));
  });

  it("spec: installs the runner once, fetches the manifest once, and prints the manifest's spec", async () => {
    const r = await airdock(['spec', 'source-rocket-chat', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/installing airbyte-cdk==7\.39\.1 with uv/);
    const spec = (parseYaml(manifestText) as { spec: { connection_specification: unknown } }).spec.connection_specification;
    expect(JSON.parse(r.stdout).connectionSpecification).toEqual(spec);
    const again = await airdock(['spec', 'source-rocket-chat', '--json']);
    expect(again.stderr).not.toMatch(/installing|fetching/);
    expect(metadataHits).toHaveLength(1);
  });

  it('check: SUCCEEDED with the right token, FAILED with a wrong one, and the token is never printed', async () => {
    const ok = await airdock(['check', 'source-rocket-chat', '--config', join(home, 'rc.json')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe('SUCCEEDED');
    const bad = await airdock(['check', 'source-rocket-chat', '--config', join(home, 'rc-bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAILED/);
    for (const out of [ok.stdout, ok.stderr, bad.stdout, bad.stderr]) expect(out).not.toMatch(/rc-token|wrong-token/);
  });

  it('read: every page of every configured stream, with the auth headers the manifest defines', async () => {
    apiRequests.length = 0;
    const r = await airdock(['read', 'source-rocket-chat', '--config', join(home, 'rc.json'), '--streams', 'teams,users']);
    expect(r.code, r.stderr).toBe(0);
    const got = records(r.stdout);
    expect(got.filter((x) => x.stream === 'teams').map((x) => x.data)).toEqual(teams);
    expect(got.filter((x) => x.stream === 'users').map((x) => x.data)).toEqual(users);
    // page size 1 (the manifest's OffsetIncrement): one request per record, then an empty page
    expect(apiRequests.filter((p) => p.startsWith('/api/v1/teams.list'))).toHaveLength(teams.length + 1);
  });

  it('manifest:<file> runs a local manifest the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-mflocal-'));
    writeFileSync(join(dir, 'manifest.yaml'), manifestText);
    const r = await airdock(['check', `manifest:${join(dir, 'manifest.yaml')}`, '--config', join(home, 'rc.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('SUCCEEDED');
  });

  it('airdock sync: the manifest connector into the native DuckDB destination', async () => {
    const db = join(home, 'rc.duckdb');
    const file = join(home, 'rc-duckdb.yaml');
    writeFileSync(file, `name: mfexec-${process.pid}
source: { connector: source-rocket-chat, config: { endpoint: "${apiUrl}", token: "${TOKEN}", user_id: ${USER_ID} } }
destination: { connector: destination-duckdb, config: { destination_path: ${db} } }
streams: [{ name: users, sync_mode: full_refresh, destination_sync_mode: overwrite }]
retry: { attempts: 1 }
`);
    const r = await airdock(['sync', file, '--json-summary']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'succeeded', recordsEmitted: users.length, recordsCommitted: users.length });
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const conn = await (await DuckDBInstance.create(db)).connect();
    const rows = (await conn.runAndReadAll('SELECT username FROM users ORDER BY username')).getRowObjects();
    expect(rows.map((x) => x.username)).toEqual(users.map((u) => u.username));
    conn.closeSync();
  });

  it('offline: runs from the cached manifest with the registry server gone; an uncached one is a clear error', async () => {
    await new Promise((r) => registry.close(r));
    const r = await airdock(['read', 'source-rocket-chat', '--config', join(home, 'rc.json'), '--streams', 'teams'], { AIRDOCK_OFFLINE: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(records(r.stdout)).toHaveLength(teams.length);
    const other = await airdock(['spec', 'source-rocket-chat', '--version', '0.0.9'], { AIRDOCK_OFFLINE: '1' });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^error AIRDOCK_MANIFEST_UNAVAILABLE: The manifest is not cached and offline mode is on .*version="0\.0\.9"/m);
  });

  it('installed lists the cached manifest and the runner; uninstall removes the manifest, and offline it is gone', async () => {
    const list = JSON.parse((await airdock(['installed', '--json'])).stdout) as { installed: Array<{ name: string; version: string; executor: string }> };
    expect(list.installed.map((i) => [i.name, i.version, i.executor])).toEqual([['airbyte-cdk', '7.39.1', 'manifest'], ['source-rocket-chat', VERSION, 'manifest']]);
    const r = await airdock(['uninstall', 'source-rocket-chat']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`removed source-rocket-chat ${VERSION} (manifest: airbyte/source-rocket-chat)\n`);
    const after = await airdock(['spec', 'source-rocket-chat'], { AIRDOCK_OFFLINE: '1' });
    expect(after.stderr).toMatch(/^error AIRDOCK_MANIFEST_UNAVAILABLE: /m);
  });
});
