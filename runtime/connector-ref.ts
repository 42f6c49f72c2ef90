import { existsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutorKind } from '../catalog/index.js';
import { UsageError } from '../protocol/index.js';
import type { LaunchTarget, PullPolicy } from './launcher/backend.js';
import type { Logger } from './log/logger.js';
import { whichOnPath } from './python/find-python.js';

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
  /** For a bare name: run on this executor (native, python, manifest, image), or fail. */
  executor?: ExecutorKind;
  /** For a bare name: this version of the PyPI package, manifest or image instead of the registry's. */
  version?: string;
  /** AIRDOCK_PYTHON, and the environment whose PATH says whether Python (or uv) is there. */
  python?: string | undefined;
  env?: Readonly<Record<string, string>>;
  /** Where resolution notices go (a fallback to the image). */
  log?: Logger;
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
 * - `manifest:./my-manifest.yaml` → that declarative manifest on the CDK's runner;
 * - `./path`, `../path`, `/path` or `file:path` → that program (a `.js`/`.mjs`/`.cjs` file runs under node);
 * - anything else with `:` or `/` → a Docker image (`repo:tag`, `repo@sha256:...`, `host:port/repo:tag`);
 * - a bare `source-faker` → resolved through the catalog: native if we have it, else the registry's own
 *   executor (its manifest, its PyPI package, its image); `executor` forces one.
 */
export async function resolveConnector(ref: string, options: ConnectorRefOptions = {}): Promise<ResolvedConnector> {
  const r = ref.trim();
  if (options.executor && !isBare(r)) {
    throw new UsageError('--executor applies to catalog names only', { context: { ref: r, executor: options.executor }, hint: 'Drop --executor, or pass a bare name such as source-faker' });
  }
  const native = NATIVE.exec(r);
  if (native) return nativeConnector(r, native[1]!, options);
  if (r.startsWith('manifest:')) {
    const path = resolve(r.slice('manifest:'.length));
    if (!existsSync(path)) throw new UsageError('The manifest file does not exist', { context: { ref: r } });
    return { ref: r, name: manifestName(path), target: { kind: 'manifest', manifest: { path } } };
  }
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
  const entry = registry.get(r);
  if (!entry) {
    const { ConnectorNotFoundError } = await import('../protocol/index.js');
    throw new ConnectorNotFoundError(r, registry.suggest(r));
  }
  // A native connector has no versions: asking for one means the registry's executor.
  const executor = options.executor ?? (options.version && entry.native ? catalog.registryExecutor(entry) : undefined);
  let resolved = catalog.resolveEntry(entry, { ...(executor ? { executor } : {}), ...(options.prefer ? { prefer: options.prefer } : {}) });
  if (!options.executor && (resolved.kind === 'python' || resolved.kind === 'manifest') && !pythonAvailable(options) && entry.hasImage) {
    options.log?.info(`no Python 3 or uv found: running ${entry.technicalName} as its image (install Python 3.10+ to run it without Docker)`);
    resolved = catalog.resolveEntry(entry, { executor: 'image' });
  }
  const version = options.version ?? entry.dockerImageTag;
  switch (resolved.kind) {
    case 'native': return nativeConnector(r, resolved.name, options);
    case 'python':
      return { ref: r, name: entry.technicalName, target: { kind: 'python', package: resolved.package, version, script: entry.technicalName } };
    case 'manifest':
      return { ref: r, name: entry.technicalName, target: { kind: 'manifest', manifest: { repository: entry.dockerRepository, version } } };
    case 'image': {
      const image = options.version ? `${entry.dockerRepository}:${options.version}` : resolved.image;
      return { ref: r, name: imageName(image), target: { kind: 'image', image, ...(options.pull ? { pull: options.pull } : {}) } };
    }
  }
}

/** Whether the python and manifest executors can work here, judged without spawning anything. */
function pythonAvailable(options: ConnectorRefOptions): boolean {
  if (options.python) return true;
  const path = options.env?.PATH ?? process.env.PATH;
  return ['python3', 'python', 'uv'].some((n) => whichOnPath(n, path) !== undefined);
}

/** `.../source-foo/manifest.yaml` → `source-foo`; `./my-api.yaml` → `my-api`. */
function manifestName(path: string): string {
  const base = basename(path, extname(path));
  return base === 'manifest' ? basename(dirname(path)) : base;
}

/** catalog's isBareName, which the runtime only reaches through the lazily loaded catalog module. */
function isBare(ref: string): boolean {
  return ref !== '' && !ref.includes(':') && !ref.includes('/') && !ref.startsWith('.');
}

function nativeConnector(ref: string, name: string, options: ConnectorRefOptions): ResolvedConnector {
  const main = resolve(options.packageRoot ?? airdockPackageRoot(), 'dist/native-connectors', name, 'main.js');
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
/** The airdock install that holds dist/ (the repository in development). */
export function airdockPackageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = resolve(here, '..');
  return basename(up) === 'dist' ? resolve(up, '..') : up;
}
