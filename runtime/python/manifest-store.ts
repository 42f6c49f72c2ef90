import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ManifestUnavailableError, UsageError } from '../../protocol/index.js';
import type { ManifestRef } from '../launcher/backend.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { MANIFEST_RUNNER } from './manifest-runner.js';
import type { PythonEnvs } from './python-envs.js';

/** The Python CDK whose `source-declarative-manifest` runs every manifest (AIRDOCK_CDK_VERSION to change). */
export const DEFAULT_CDK_VERSION = '7.39.1';
const CDK_PACKAGE = 'airbyte-cdk';
const RUNNER_FILE = 'airdock-manifest-runner.py';
const FETCH_TIMEOUT_MS = 60_000;

export interface ManifestStoreOptions {
  /** `$AIRDOCK_HOME/manifests`: `<repository>/<version>/manifest.yaml` (+ `components.py`). */
  root: string;
  envs: PythonEnvs;
  cdkVersion?: string;
  /** AIRDOCK_METADATA_URL: where the registry publishes connector files; default beside the registry (catalog's metadataBaseUrl). */
  metadataUrl?: string;
  /** The registry location in use, to derive the metadata location from. */
  registry?: string;
  offline?: boolean;
  fetch?: typeof fetch;
}

/** A manifest ready to run: its file, and the custom components file it needs, if any. */
export interface LocalManifest {
  manifest: string;
  components?: string;
}

/**
 * Declarative connectors: their manifests (fetched from the registry's metadata location once per
 * version, then read from the cache, also offline: a published version never changes) and the one
 * venv with the CDK's declarative runner that runs them all.
 */
export class ManifestStore {
  readonly root: string;
  readonly cdkVersion: string;
  readonly #o: ManifestStoreOptions;

  constructor(o: ManifestStoreOptions) {
    this.root = o.root;
    this.cdkVersion = o.cdkVersion ?? DEFAULT_CDK_VERSION;
    this.#o = o;
  }

  dirOf(repository: string, version: string): string {
    return join(this.root, ...repository.split('/').filter((p) => p && p !== '..' && p !== '.'), version);
  }

  /** The local files of a manifest ref, fetching a registry connector's on first use. */
  async resolve(ref: ManifestRef, o: { signal?: AbortSignal; log?: Logger } = {}): Promise<LocalManifest> {
    if ('path' in ref) {
      const manifest = resolve(ref.path);
      if (!existsSync(manifest)) throw new UsageError('The manifest file does not exist', { context: { path: ref.path } });
      const components = join(dirname(manifest), 'components.py');
      return existsSync(components) ? { manifest, components } : { manifest };
    }
    return this.ensure(ref.repository, ref.version, o);
  }

  async cached(repository: string, version: string): Promise<LocalManifest | undefined> {
    const dir = this.dirOf(repository, version);
    const manifest = join(dir, 'manifest.yaml');
    if (!existsSync(manifest)) return undefined;
    const components = join(dir, 'components.py');
    return existsSync(components) ? { manifest, components } : { manifest };
  }

  async ensure(repository: string, version: string, o: { signal?: AbortSignal; log?: Logger } = {}): Promise<LocalManifest> {
    const hit = await this.cached(repository, version);
    if (hit) return hit;
    const metadataUrl = this.#o.metadataUrl ?? (await import('../../catalog/index.js')).metadataBaseUrl(this.#o.registry);
    const base = `${metadataUrl.replace(/\/+$/, '')}/${repository}/${version}`;
    if (this.#o.offline) {
      throw new ManifestUnavailableError('The manifest is not cached and offline mode is on', {
        context: { connector: repository, version }, hint: 'Run it once with the network to cache its manifest',
      });
    }
    const log = o.log ?? silentLogger;
    log.info(`fetching the manifest of ${repository} ${version}`);
    const text = await this.#get(`${base}/manifest.yaml`, repository, version, o.signal);
    const manifest = checkManifest(text, repository, version);
    // Custom Python components ship beside the manifest as components.py.
    const components = usesComponents(manifest) ? await this.#get(`${base}/components.py`, repository, version, o.signal) : undefined;
    const dir = this.dirOf(repository, version);
    const staging = `${dir}.${randomBytes(4).toString('hex')}.tmp`;
    await mkdir(staging, { recursive: true });
    try {
      await writeFile(join(staging, 'manifest.yaml'), text);
      if (components !== undefined) await writeFile(join(staging, 'components.py'), components);
      await rename(staging, dir).catch(async (err: NodeJS.ErrnoException) => {
        // Another run cached it meanwhile: theirs is the same file.
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return (await this.cached(repository, version))!;
  }

  async list(): Promise<Array<{ repository: string; version: string; dir: string }>> {
    const out: Array<{ repository: string; version: string; dir: string }> = [];
    const walk = async (dir: string, parts: string[]): Promise<void> => {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const p = join(dir, name);
        if (name === 'manifest.yaml' && parts.length >= 2) out.push({ repository: parts.slice(0, -1).join('/'), version: parts.at(-1)!, dir });
        else if (!name.endsWith('.tmp') && (await stat(p)).isDirectory()) await walk(p, [...parts, name]);
      }
    };
    await walk(this.root, []);
    return out;
  }

  async remove(repository: string, version: string): Promise<void> {
    await rm(this.dirOf(repository, version), { recursive: true, force: true });
  }

  /** The declarative runner: the CDK's venv (installed once) and airdock's small entry script in it. */
  async runner(o: { signal?: AbortSignal; log?: Logger } = {}): Promise<{ python: string; script: string }> {
    const env = await this.#o.envs.ensure(CDK_PACKAGE, this.cdkVersion, o);
    const script = join(env.dir, RUNNER_FILE);
    const current = await readFile(script, 'utf8').catch(() => undefined);
    if (current !== MANIFEST_RUNNER) {
      const tmp = `${script}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, MANIFEST_RUNNER);
      await rename(tmp, script);
    }
    return { python: env.python, script };
  }

  async #get(url: string, repository: string, version: string, signal: AbortSignal | undefined): Promise<string> {
    const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
    let res: Response;
    try {
      res = await (this.#o.fetch ?? fetch)(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new ManifestUnavailableError('The manifest could not be fetched', {
        cause: err, context: { connector: repository, version, url, reason: causeCode(err) },
      });
    }
    if (!res.ok) {
      throw new ManifestUnavailableError('The manifest could not be fetched', {
        context: { connector: repository, version, url, status: res.status },
        ...(res.status === 404 ? { hint: 'That version publishes no manifest: pick another --version, or run the image with --executor image' } : {}),
      });
    }
    return res.text();
  }
}

function checkManifest(text: string, repository: string, version: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ManifestUnavailableError('The fetched manifest is not valid YAML', { cause: err, context: { connector: repository, version } });
  }
  const m = doc as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m) || (!('streams' in m) && !('dynamic_streams' in m))) {
    throw new ManifestUnavailableError('The fetched file is not a declarative manifest', { context: { connector: repository, version } });
  }
  return m;
}

/** True when a component names a Python class of the connector's own components module. */
function usesComponents(manifest: unknown): boolean {
  return /"class_name":"[^"]*components\./.test(JSON.stringify(manifest));
}

function causeCode(err: unknown): string | undefined {
  const c = (err as { cause?: { code?: unknown } }).cause?.code ?? (err as { name?: string }).name;
  return typeof c === 'string' ? c : undefined;
}
