import { existsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../protocol/index.js';
import type { LaunchTarget, PullPolicy } from './launcher/backend.js';

/** What a `<ref>` on the command line runs as. */
export interface ResolvedConnector {
  ref: string;
  /** Short name for logs and labels: `source-faker`. */
  name: string;
  target: LaunchTarget;
}

export interface ConnectorRefOptions {
  pull?: PullPolicy;
  /** For a bare name: our native connector (default) or the catalog's image. */
  prefer?: 'native' | 'image';
  /** Catalog settings for a bare name. */
  registry?: string;
  offline?: boolean;
  home?: string;
  /** The airdock install that holds dist/native-connectors; default: this package. */
  packageRoot?: string;
}

const NATIVE = /^native:([a-z0-9][a-z0-9-]*)$/;

/**
 * Parses a connector reference:
 * - `native:source-faker` → `node <package>/dist/native-connectors/source-faker/main.js`;
 * - `./path`, `../path`, `/path` or `file:path` → that program (a `.js`/`.mjs`/`.cjs` file runs under node);
 * - anything else with `:` or `/` → a Docker image (`repo:tag`, `repo@sha256:...`, `host:port/repo:tag`);
 * - a bare `source-faker` → resolved through the catalog (native if we have it, else its image).
 */
export async function resolveConnector(ref: string, options: ConnectorRefOptions = {}): Promise<ResolvedConnector> {
  const r = ref.trim();
  const native = NATIVE.exec(r);
  if (native) return nativeConnector(r, native[1]!, options);
  if (r.startsWith('file:') || r.startsWith('./') || r.startsWith('../') || r.startsWith('/')) {
    const path = resolve(r.startsWith('file://') ? fileURLToPath(r) : r.replace(/^file:/, ''));
    if (!existsSync(path)) throw new UsageError('The connector program does not exist', { context: { ref: r } });
    const name = basename(path, extname(path));
    return { ref: r, name, target: /\.[cm]?js$/.test(path) ? { kind: 'command', command: process.execPath, args: [path] } : { kind: 'command', command: path } };
  }
  if (r.includes(':') || r.includes('/')) return { ref: r, name: imageName(r), target: { kind: 'image', image: r, ...(options.pull ? { pull: options.pull } : {}) } };
  if (r === '') throw new UsageError('A connector reference is required', { hint: 'Pass an image (repo:tag), native:<name>, a path or a catalog name' });
  return resolveBareName(r, options);
}

async function resolveBareName(r: string, options: ConnectorRefOptions): Promise<ResolvedConnector> {
  let catalog: typeof import('../catalog/index.js');
  try {
    catalog = await import('../catalog/index.js');
  } catch (err) {
    throw new UsageError('Connector names need the catalog, which is not available in this build', {
      cause: err, context: { ref: r }, hint: 'Pass an image (repo:tag), native:<name> or a path instead',
    });
  }
  const registry = await catalog.loadRegistry({
    ...(options.registry ? { registry: options.registry } : {}), ...(options.offline !== undefined ? { offline: options.offline } : {}),
    ...(options.home ? { home: options.home } : {}),
  });
  const resolved = catalog.resolveConnectorRef(r, { registry, ...(options.prefer ? { prefer: options.prefer } : {}) });
  if (resolved.kind === 'native') return nativeConnector(r, resolved.name, options);
  return { ref: r, name: imageName(resolved.image), target: { kind: 'image', image: resolved.image, ...(options.pull ? { pull: options.pull } : {}) } };
}

function nativeConnector(ref: string, name: string, options: ConnectorRefOptions): ResolvedConnector {
  const main = resolve(options.packageRoot ?? packageRoot(), 'dist/native-connectors', name, 'main.js');
  if (!existsSync(main)) {
    throw new UsageError('No native connector has that name in this build', { context: { ref, name }, hint: 'Run `airdock catalog list --native`, or `npm run build` first' });
  }
  return { ref, name, target: { kind: 'command', command: process.execPath, args: [main] } };
}

/** `airbyte/source-faker:6.2.1` → `source-faker`; digests and registry hosts dropped. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon === -1 ? last : last.slice(0, colon);
}

/** The package root, whether this file runs compiled (dist/runtime/) or from source (runtime/). */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = resolve(here, '..');
  return basename(up) === 'dist' ? resolve(up, '..') : up;
}
