import { AbortedError, RegistryLoadError } from '../protocol/errors/index.js';

export type FetchResult =
  | { status: 'not-modified' }
  | { status: 'ok'; text: string; etag?: string; lastModified?: string };

export interface FetchRegistryOptions {
  etag?: string;
  lastModified?: string;
  /** Until the response headers arrive: short, so a machine without network falls back quickly. */
  connectTimeoutMs: number;
  /** For the whole body, which can be several MB. */
  bodyTimeoutMs: number;
  signal?: AbortSignal;
  fetch: typeof fetch;
}

/**
 * One conditional GET of a registry URL (If-None-Match / If-Modified-Since from the cache).
 * Errors carry only the URL, the HTTP status and the low-level error code.
 */
export async function fetchRegistry(url: string, o: FetchRegistryOptions): Promise<FetchResult> {
  o.signal?.throwIfAborted();
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  let timer = setTimeout(() => { timedOut = true; ctl.abort(); }, o.connectTimeoutMs);
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.etag) headers['if-none-match'] = o.etag;
    if (o.lastModified) headers['if-modified-since'] = o.lastModified;
    const res = await o.fetch(url, { headers, signal: ctl.signal, redirect: 'follow' });
    clearTimeout(timer);
    timer = setTimeout(() => { timedOut = true; ctl.abort(); }, o.bodyTimeoutMs);
    if (res.status === 304) {
      await res.body?.cancel();
      return { status: 'not-modified' };
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new RegistryLoadError('The registry server answered with an error', {
        context: { location: url, status: res.status },
        hint: res.status === 404 ? 'Check the registry URL (AIRDOCK_REGISTRY or --registry)' : undefined,
      });
    }
    const text = await res.text();
    const out: FetchResult = { status: 'ok', text };
    const etag = res.headers.get('etag');
    const lastModified = res.headers.get('last-modified');
    if (etag) out.etag = etag;
    if (lastModified) out.lastModified = lastModified;
    return out;
  } catch (err) {
    if (o.signal?.aborted) throw new AbortedError('Loading the registry was interrupted', { cause: err });
    if (err instanceof RegistryLoadError) throw err;
    if (timedOut) {
      throw new RegistryLoadError('The registry did not answer in time', { context: { location: url, timeoutMs: o.connectTimeoutMs }, cause: err });
    }
    throw new RegistryLoadError('The registry could not be fetched', { context: { location: url, reason: reasonOf(err) }, cause: err });
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** `ENOTFOUND`, `ECONNREFUSED`, ...: what undici puts in `cause.code`, without the full stack. */
function reasonOf(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
