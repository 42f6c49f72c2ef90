import type Docker from 'dockerode';
import { AbortedError, ImageNotFoundError, ImagePullError } from '../../../protocol/index.js';
import type { PullPolicy } from '../../launcher/backend.js';
import type { Logger } from '../../log/logger.js';
import { parseImageRef } from './image-ref.js';

export interface PullOptions {
  policy: PullPolicy;
  log?: Logger;
  signal?: AbortSignal;
  /** A terminal to draw progress on; default process.stderr when it is a TTY. */
  progress?: NodeJS.WriteStream | undefined;
}

/**
 * Makes sure the image is present, following the pull policy, and returns its inspect data.
 * `missing` pulls only when absent, `always` pulls every time, `never` fails when absent.
 */
export async function ensureImage(docker: Docker, image: string, o: PullOptions): Promise<Docker.ImageInspectInfo> {
  const ref = parseImageRef(image);
  const context = { image: ref.ref, registry: ref.registry ?? 'docker.io' };
  const present = await inspect(docker, ref.ref);
  if (present && o.policy !== 'always') return present;
  if (!present && o.policy === 'never') {
    throw new ImageNotFoundError('The image is not present locally and the pull policy is never', { context });
  }
  o.log?.info(`pulling ${ref.ref}`);
  try {
    await pull(docker, ref.ref, o);
  } catch (err) {
    if (o.signal?.aborted) throw new AbortedError('The run was interrupted', { cause: err, context });
    // With `always`, a local copy still lets the run proceed; say so rather than fail offline.
    if (present) {
      o.log?.warn(`could not pull ${ref.ref} (${reason(err)}); using the local image`);
      return present;
    }
    throw new ImagePullError('The image could not be pulled', { cause: err, context: { ...context, reason: reason(err) } });
  }
  const pulled = await inspect(docker, ref.ref);
  if (!pulled) throw new ImagePullError('The image could not be pulled', { context: { ...context, reason: 'not present after the pull' } });
  return pulled;
}

async function inspect(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

function pull(docker: Docker, ref: string, o: PullOptions): Promise<void> {
  const tty = o.progress ?? (process.stderr.isTTY ? process.stderr : undefined);
  const layers = new Map<string, { current: number; total: number }>();
  let lastDraw = 0;
  return new Promise<void>((resolve, reject) => {
    docker.pull(ref, { abortSignal: o.signal } as object, (err: unknown, stream?: NodeJS.ReadableStream) => {
      if (err || !stream) return reject(err ?? new Error('no pull stream'));
      const onAbort = () => (stream as unknown as { destroy?: (e: Error) => void }).destroy?.(new Error('aborted'));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      docker.modem.followProgress(stream, (e: unknown) => {
        o.signal?.removeEventListener('abort', onAbort);
        if (tty) tty.write('\r\x1b[K');
        if (e) reject(e);
        else resolve();
      }, (event: { id?: string; status?: string; error?: string; progressDetail?: { current?: number; total?: number } }) => {
        if (event.error) return;
        if (event.id && event.progressDetail?.total) layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
        const now = Date.now();
        if (!tty || now - lastDraw < 100) return;
        lastDraw = now;
        let cur = 0;
        let tot = 0;
        for (const l of layers.values()) { cur += l.current; tot += l.total; }
        const pct = tot > 0 ? ` ${Math.floor((cur / tot) * 100)}% (${mb(cur)}/${mb(tot)} MB)` : ` ${event.status ?? ''}`;
        tty.write(`\r\x1b[Kpulling ${ref}:${pct}`);
      });
    });
  });
}

function mb(n: number): string {
  return (n / 1e6).toFixed(1);
}

/** Docker's own message (e.g. "manifest unknown", "no such host"): it names no secret, only the image and registry. */
function reason(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return (e.json?.message ?? e.message ?? String(err)).trim().slice(0, 300);
}
