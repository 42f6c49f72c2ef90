import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AbortedError, isAirdockError, RegistryInvalidError, RegistryLoadError } from '../protocol/errors/index.js';
import { decodeCompactDocument, isCompactDocument, type CompactRegistry } from './compact-registry.js';
import { fetchRegistry } from './fetch-registry.js';
import { loadNativeOverlay } from './native-overlay.js';
import { parseRegistry, parseRegistryDocument } from './parse-registry.js';
import { RegistryCache } from './registry-cache.js';
import type { RegistrySource } from './registry-source.js';
import { DEFAULT_REGISTRY_URL } from './registry-url.js';
import { Registry } from './registry.js';
import { loadSeed } from './seed.js';

export interface LoadRegistryOptions {
  /** Where the cache lives (`<home>/cache/`). Default: AIRDOCK_HOME, else `.airdock` in the cwd. */
  home?: string;
  /** A registry URL or file. Default: AIRDOCK_REGISTRY, else the official OSS registry. */
  registry?: string;
  /** Never touch the network. Default: AIRDOCK_OFFLINE=1. */
  offline?: boolean;
  /** How long a cached registry is used without asking the server. Default 24 h. */
  ttlMs?: number;
  /** Fetch even when the cache is fresh, and fail instead of falling back (`catalog refresh`). */
  refresh?: boolean;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Wait for response headers at most this long before falling back. Default 3 s. */
  timeoutMs?: number;
  /** One-line notices (fallbacks). Default: written to stderr. */
  onNotice?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 3000;
const BODY_TIMEOUT_MS = 60_000;
/** After a failed fetch, later commands use the fallback without waiting again for this long. */
const UNREACHABLE_BACKOFF_MS = 5 * 60 * 1000;

/**
 * Loads the catalog: a local file as is; a URL from the fresh disk cache, else from the network
 * (revalidating the cache with ETag / Last-Modified), else, when the network fails, from the stale
 * cache, else from the seed bundled with airdock, with a one-line notice. Offline mode never fetches.
 */
export async function loadRegistry(options: LoadRegistryOptions = {}): Promise<Registry> {
  const env = options.env ?? process.env;
  const location = options.registry ?? nonEmpty(env.AIRDOCK_REGISTRY) ?? DEFAULT_REGISTRY_URL;
  const explicit = location !== DEFAULT_REGISTRY_URL;
  const offline = options.offline ?? env.AIRDOCK_OFFLINE === '1';
  const notice = options.onNotice ?? ((line: string) => process.stderr.write(`airdock: ${line}\n`));
  const now = options.now ?? Date.now;
  const natives = loadNativeOverlay();
  const build = (reg: CompactRegistry, source: RegistrySource) => new Registry(reg.entries, { source: withDataAsOf(source, reg), natives });

  if (!/^https?:\/\//i.test(location)) {
    const path = location.startsWith('file:') ? fileURLToPath(location) : resolve(location);
    return build(await readRegistryFile(path), { origin: 'file', location: path });
  }

  const home = resolve(options.home ?? nonEmpty(env.AIRDOCK_HOME) ?? '.airdock');
  const cache = new RegistryCache(home, location);
  const cached = await cache.read();
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const age = cached ? now() - Date.parse(cached.cache.fetchedAt) : Number.POSITIVE_INFINITY;
  const fromCache = (extra: Partial<RegistrySource> = {}) =>
    build(cached!, { origin: 'cache', location, fetchedAt: cached!.cache.fetchedAt, ...(age > ttl ? { stale: true } : {}), ...extra });
  const fallback = (why: string): Registry => {
    if (cached) {
      notice(`${why}; using the registry cached ${describeAge(age)}`);
      return fromCache({ notice: why });
    }
    const seed = loadSeed();
    notice(`${why}; using the registry bundled with airdock (data as of ${day(seed.dataAsOf)})`);
    return build(seed, { origin: 'seed', location: 'bundled seed', notice: why });
  };

  if (offline) {
    if (options.refresh) {
      throw new RegistryLoadError('Refreshing the registry needs the network, and offline mode is on', {
        hint: 'Unset AIRDOCK_OFFLINE (or drop --offline) and run the refresh again',
      });
    }
    if (cached) return fromCache();
    const seed = loadSeed();
    // Asked for another registry but cannot reach it: say that these are the official connectors.
    if (explicit) notice(`offline, and ${location} was never cached; using the registry bundled with airdock (data as of ${day(seed.dataAsOf)})`);
    return build(seed, { origin: 'seed', location: 'bundled seed' });
  }
  if (cached && age <= ttl && !options.refresh) return fromCache();
  if (!options.refresh) {
    const failedAt = await cache.lastUnreachable();
    if (failedAt !== undefined && now() - failedAt < UNREACHABLE_BACKOFF_MS && now() >= failedAt) {
      return fallback(`the registry was unreachable ${describeAge(now() - failedAt)}; not retrying for 5 minutes`);
    }
  }

  try {
    const res = await fetchRegistry(location, {
      etag: cached?.cache.etag, lastModified: cached?.cache.lastModified,
      connectTimeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, bodyTimeoutMs: BODY_TIMEOUT_MS,
      signal: options.signal, fetch: options.fetch ?? globalThis.fetch,
    });
    const fetchedAt = new Date(now()).toISOString();
    if (res.status === 'not-modified') {
      if (!cached) throw new RegistryLoadError('The registry answered "not modified" without a cached copy', { context: { location } });
      const { entries, dataAsOf, inputSha256 } = cached;
      await writeCacheQuietly(cache, { entries, dataAsOf, inputSha256, cache: { ...cached.cache, fetchedAt } }, notice);
      return build(cached, { origin: 'cache', location, fetchedAt, revalidated: true });
    }
    const reg = parseAny(res.text, location);
    await writeCacheQuietly(cache, { ...reg, cache: { location, fetchedAt, etag: res.etag, lastModified: res.lastModified } }, notice);
    return build(reg, { origin: 'network', location, fetchedAt });
  } catch (err) {
    if (err instanceof AbortedError || options.refresh) throw err;
    // A broken registry the user chose is their problem to see; a broken default is ours to survive.
    if (err instanceof RegistryInvalidError && explicit) throw err;
    if (!(err instanceof RegistryInvalidError)) await cache.markUnreachable(new Date(now()));
    return fallback(isAirdockError(err) ? shortReason(err) : 'the registry could not be loaded');
  }
}

async function readRegistryFile(path: string): Promise<CompactRegistry> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RegistryLoadError('The registry file cannot be read', {
      context: { location: path, reason: (err as NodeJS.ErrnoException).code ?? 'unknown' }, cause: err,
      hint: 'Check the path given in AIRDOCK_REGISTRY or --registry',
    });
  }
  return parseAny(text, path);
}

/** A full registry document, or a compact one (a seed or cache file is a valid AIRDOCK_REGISTRY). */
function parseAny(text: string, location: string): CompactRegistry {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return parseRegistry(text, location); // rethrows the parse failure as RegistryInvalidError
  }
  return isCompactDocument(doc) ? decodeCompactDocument(doc, location) : parseRegistryDocument(doc, location);
}

async function writeCacheQuietly(cache: RegistryCache, reg: CompactRegistry, notice: (l: string) => void): Promise<void> {
  try {
    await cache.write(reg);
  } catch (err) {
    notice(`could not write the registry cache (${(err as NodeJS.ErrnoException).code ?? 'error'}); set AIRDOCK_HOME to a writable folder`);
  }
}

function withDataAsOf(source: RegistrySource, reg: CompactRegistry): RegistrySource {
  return reg.dataAsOf ? { ...source, dataAsOf: reg.dataAsOf } : source;
}

function shortReason(err: { message: string; context: Readonly<Record<string, unknown>> }): string {
  const c = err.context;
  const detail = c.status ?? c.reason ?? c.problem ?? (c.timeoutMs !== undefined ? `${Number(c.timeoutMs) / 1000} s` : undefined);
  return detail === undefined ? err.message.toLowerCase() : `${err.message.toLowerCase()} (${String(detail)})`;
}

/** "3 minutes ago", "2 days ago": for notices and `catalog list`. */
export function describeAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'just now';
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 120) return `${min} minute${min === 1 ? '' : 's'} ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} hours ago`;
  return `${Math.round(h / 24)} days ago`;
}

function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : 'unknown';
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
