import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, RegistryInvalidError, RegistryLoadError } from '../protocol/errors/index.js';
import { loadRegistry, type LoadRegistryOptions } from './index.js';
import { miniRegistry, rawSource, RegistryServer, snapshotText } from '../test/support/registry-fixtures.js';

let home: string;
let server: RegistryServer;
let notices: string[];
const HOUR = 3600_000;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'airdock-catalog-'));
  notices = [];
  server = await new RegistryServer(miniRegistry([rawSource('source-alpha'), rawSource('source-beta')])).start();
});
afterEach(async () => {
  await server[Symbol.asyncDispose]();
  rmSync(home, { recursive: true, force: true });
});

/** Every load is isolated from the developer's environment (AIRDOCK_* variables, real network). */
const load = (o: Partial<LoadRegistryOptions> = {}) =>
  loadRegistry({ home, registry: server.url, env: {}, onNotice: (l) => notices.push(l), timeoutMs: 1000, ...o });

describe('loadRegistry over HTTP', () => {
  it('fetches, caches the compact form, then serves the fresh cache without the network', async () => {
    const first = await load();
    expect(first.source).toMatchObject({ origin: 'network', location: server.url });
    expect(first.list().map((e) => e.technicalName)).toEqual(expect.arrayContaining(['source-alpha', 'source-beta']));
    expect(server.requests).toHaveLength(1);
    const cached = readdirSync(join(home, 'cache'));
    expect(cached.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(readFileSync(join(home, 'cache', cached[0]!), 'utf8')).not.toContain('connectionSpecification');

    const second = await load();
    expect(second.source.origin).toBe('cache');
    expect(second.get('source-beta')).toBeDefined();
    expect(server.requests).toHaveLength(1);
    expect(notices).toEqual([]);
  });

  it('revalidates an expired cache with If-None-Match / If-Modified-Since and keeps it on 304', async () => {
    await load();
    const later = Date.now() + 25 * HOUR;
    const reg = await load({ now: () => later });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['if-none-match']).toBe('"v1"');
    expect(server.requests[1]!.headers['if-modified-since']).toBe(server.lastModified);
    expect(reg.source).toMatchObject({ origin: 'cache', revalidated: true, fetchedAt: new Date(later).toISOString() });
    // The 304 renewed the cache: a load just after it does not ask again.
    await load({ now: () => later + HOUR });
    expect(server.requests).toHaveLength(2);
  });

  it('picks up a changed registry once the TTL has passed', async () => {
    await load();
    server.body = miniRegistry([rawSource('source-alpha'), rawSource('source-gamma')]);
    server.etag = '"v2"';
    expect((await load({ ttlMs: HOUR })).get('source-gamma')).toBeUndefined();
    const reg = await load({ ttlMs: HOUR, now: () => Date.now() + 2 * HOUR });
    expect(reg.source.origin).toBe('network');
    expect(reg.get('source-gamma')).toBeDefined();
    expect(reg.get('source-beta')).toBeUndefined();
  });

  it('falls back to the stale cache with a one-line notice when the server fails', async () => {
    await load();
    server.failWith = 503;
    const reg = await load({ now: () => Date.now() + 48 * HOUR });
    expect(reg.source).toMatchObject({ origin: 'cache', stale: true });
    expect(reg.get('source-alpha')).toBeDefined();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/error \(503\); using the registry cached 2 days ago/);
  });

  it('falls back to the bundled seed when the server is down and nothing is cached, quickly', async () => {
    await server[Symbol.asyncDispose]();
    const t = Date.now();
    const reg = await load();
    expect(Date.now() - t).toBeLessThan(1500);
    expect(reg.source).toMatchObject({ origin: 'seed', location: 'bundled seed' });
    expect(reg.list({ type: 'source' })).toHaveLength(591);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/could not be fetched \(ECONNREFUSED\); using the registry bundled with airdock \(data as of 2026-03-19\)/);
  });

  it('does not wait for a hanging server longer than the timeout', async () => {
    server.hang = true;
    const t = Date.now();
    const reg = await load({ timeoutMs: 300 });
    expect(Date.now() - t).toBeLessThan(2000);
    expect(reg.source.origin).toBe('seed');
    expect(notices[0]).toMatch(/did not answer in time/);
  });

  it('after a failure, does not retry the network for the next few minutes', async () => {
    server.failWith = 500;
    await load();
    await load();
    expect(server.requests).toHaveLength(1);
    expect(notices[1]).toMatch(/unreachable just now; not retrying for 5 minutes; using the registry bundled/);
  });

  it('stops waiting when the caller aborts, with an interrupt error rather than a fallback', async () => {
    server.hang = true;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await load({ signal: ac.signal, timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect(notices).toEqual([]);
  });

  it('treats an unreadable cache file as no cache and fetches again', async () => {
    await load();
    const dir = join(home, 'cache');
    const file = readdirSync(dir).find((f) => f.endsWith('.json'))!;
    writeFileSync(join(dir, file), '{"format": "airdock-registry/1", "rows": [');
    const reg = await load();
    expect(reg.source.origin).toBe('network');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['if-none-match']).toBeUndefined();
  });

  it('offline mode never touches the network: cache if any, else the seed', async () => {
    const seedReg = await load({ offline: true });
    expect(seedReg.source.origin).toBe('seed');
    expect(notices).toEqual([expect.stringMatching(/^offline, and http:\/\/127\.0\.0\.1:\d+\/.* was never cached; using the registry bundled/)]);
    notices.length = 0;
    expect(server.requests).toHaveLength(0);
    await load();
    const env = await load({ offline: undefined, env: { AIRDOCK_OFFLINE: '1' }, now: () => Date.now() + 100 * HOUR });
    expect(env.source).toMatchObject({ origin: 'cache', stale: true });
    expect(server.requests).toHaveLength(1);
    expect(notices).toEqual([]);
  });

  it('refresh fetches despite a fresh cache, and fails loudly instead of falling back', async () => {
    await load();
    expect((await load({ refresh: true })).source.revalidated).toBe(true);
    expect(server.requests).toHaveLength(2);
    server.failWith = 500;
    await expect(load({ refresh: true })).rejects.toBeInstanceOf(RegistryLoadError);
    await expect(load({ refresh: true, offline: true })).rejects.toThrow(/offline mode is on/);
  });

  it('reports a malformed registry at an explicit URL as a clear error, not a crash', async () => {
    server.body = '{"sources": [{"name": "x"}], "destinations": []}';
    const err = await load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryInvalidError);
    expect((err as RegistryInvalidError).describe()).toMatch(
      /AIRDOCK_REGISTRY_INVALID: The connector registry is malformed \(location=".*", problem="sources\[0\]\.sourceDefinitionId is missing or not a string"\)/);
  });

  it('takes the registry location from AIRDOCK_REGISTRY and the cache home from AIRDOCK_HOME', async () => {
    const reg = await loadRegistry({ env: { AIRDOCK_REGISTRY: server.url, AIRDOCK_HOME: home }, onNotice: (l) => notices.push(l) });
    expect(reg.source).toMatchObject({ origin: 'network', location: server.url });
    expect(existsSync(join(home, 'cache'))).toBe(true);
  });
});

describe('loadRegistry from a file', () => {
  it('reads the full official snapshot', async () => {
    const file = join(home, 'registry.json');
    writeFileSync(file, snapshotText());
    const reg = await load({ registry: file });
    expect(reg.source).toMatchObject({ origin: 'file', location: file, dataAsOf: '2026-03-19T21:12:44.000Z' });
    expect(reg.list()).toHaveLength(647);
  });

  it.each([
    ['truncated JSON', '{"sources": [', /not valid JSON/],
    ['a JSON array', '[]', /not a JSON object with `sources` and `destinations` arrays/],
    ['no destinations', '{"sources": []}', /`destinations` is missing or not an array/],
    ['an entry without a tag', miniRegistry([rawSource('source-x', { dockerImageTag: undefined })]), /sources\[0\]\.dockerImageTag is missing/],
    ['an entry that is a string', '{"sources": ["x"], "destinations": []}', /sources\[0\] is not an object/],
  ])('rejects %s with what was wrong', async (_, text, problem) => {
    const file = join(home, 'bad.json');
    writeFileSync(file, text);
    const err = await load({ registry: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryInvalidError);
    expect((err as RegistryInvalidError).describe()).toMatch(problem);
  });

  it('says which file is missing', async () => {
    const err = await load({ registry: join(home, 'nope.json') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryLoadError);
    expect((err as RegistryLoadError).describe()).toMatch(/cannot be read .*nope\.json.*ENOENT/);
  });
});
