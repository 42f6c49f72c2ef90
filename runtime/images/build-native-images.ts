import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { DockerUnavailableError, ImageBuildError, ImageNotFoundError, UsageError } from '../../protocol/index.js';
import { airdockPackageRoot } from '../connector-ref.js';
import type { Logger } from '../log/logger.js';
import { filesUnder, nativeImageFiles } from './native-image-files.js';

export interface NativeImageOptions {
  /** Connector names (`source-faker`); empty: every native connector of the build. */
  names?: readonly string[];
  /** The image to build on, present locally (no pull): default `airdock-base/node:20`. */
  base?: string;
  /** Image repository prefix: `airdock` gives `airdock/<name>:<version>` (and `:dev`). */
  repo?: string;
  packageRoot?: string;
  docker?: Docker;
  log?: Logger;
  /** Called as each image is ready. */
  onImage?: (r: NativeImageResult) => void;
}

export interface NativeImageResult {
  name: string;
  /** `airdock/<name>:<version>`; also tagged `:dev`. */
  tag: string;
  /** False when an image with the same content hash was already there. */
  built: boolean;
  sizeBytes: number;
  /** What the connector adds on top of the base image. */
  addedBytes: number;
  durationMs: number;
}

export const DEFAULT_NATIVE_BASE = 'airdock-base/node:20';
const CONTENT_HASH = 'airdock.content-hash';

/** Native connectors of a build: every dist/native-connectors/<name>/main.js (the SDK excluded). */
export function nativeConnectorNames(packageRoot = airdockPackageRoot()): string[] {
  const dir = join(packageRoot, 'dist', 'native-connectors');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n !== 'sdk' && existsSync(join(dir, n, 'main.js'))).sort();
}

/**
 * Builds `airdock/<connector>:<version>` for native connectors, locally from a base image (no
 * registry): only the compiled files and npm packages the connector loads, the Airbyte argv
 * contract (ENTRYPOINT = AIRBYTE_ENTRYPOINT = `node .../main.js`), run as the unprivileged `node`
 * user, checked by a `spec` run during the build. An image whose content hash (base image id, files,
 * package versions) did not change is kept as it is.
 */
export async function buildNativeImages(o: NativeImageOptions = {}): Promise<NativeImageResult[]> {
  const root = o.packageRoot ?? airdockPackageRoot();
  const all = nativeConnectorNames(root);
  const names = o.names?.length ? [...o.names] : all;
  for (const n of names) if (!all.includes(n)) throw new UsageError('No native connector has that name in this build', { context: { name: n }, hint: `Build one of: ${all.join(', ')} (or run npm run build)` });
  const docker = o.docker ?? new (await import('dockerode')).default();
  const base = o.base ?? DEFAULT_NATIVE_BASE;
  const baseImage = await inspectBase(docker, base);
  const version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const out: NativeImageResult[] = [];
  for (const name of names) {
    const r = await buildOne(docker, { root, name, base, baseId: baseImage.Id, baseSize: baseImage.Size, version, repo: o.repo ?? 'airdock', ...(o.log ? { log: o.log } : {}) });
    out.push(r);
    o.onImage?.(r);
  }
  return out;
}

async function inspectBase(docker: Docker, base: string): Promise<{ Id: string; Size: number }> {
  try {
    return await docker.getImage(base).inspect();
  } catch (err) {
    const code = (err as { statusCode?: number }).statusCode;
    if (code === 404) throw new ImageNotFoundError('The base image is not here (images are built locally, never pulled)', { cause: err, context: { image: base }, hint: 'Build it with `sudo bash images/build-images.sh`, or pass --base <a local node 20 image>' });
    throw new DockerUnavailableError('The Docker daemon is not reachable', { cause: err, context: { reason: (err as Error).message } });
  }
}

interface BuildInput { root: string; name: string; base: string; baseId: string; baseSize: number; version: string; repo: string; log?: Logger }

async function buildOne(docker: Docker, b: BuildInput): Promise<NativeImageResult> {
  const t0 = Date.now();
  const tag = `${b.repo}/${b.name}:${b.version}`;
  const { files, hash, dockerfile, manifest } = await stage(b);
  const existing = await docker.getImage(tag).inspect().catch(() => undefined);
  if (existing?.Config?.Labels?.[CONTENT_HASH] === hash) {
    await docker.getImage(tag).tag({ repo: `${b.repo}/${b.name}`, tag: 'dev' });
    return { name: b.name, tag, built: false, sizeBytes: existing.Size, addedBytes: existing.Size - b.baseSize, durationMs: Date.now() - t0 };
  }
  b.log?.info(`building ${tag} (${files.length} files)`);
  const context = pack();
  const done = (async () => {
    context.entry({ name: 'Dockerfile' }, dockerfile);
    context.entry({ name: 'app/package.json' }, manifest);
    for (const f of files) context.entry({ name: `app/${f}`, mode: 0o644 }, await readFile(join(b.root, f)));
    context.finalize();
  })();
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: tag, labels: { [CONTENT_HASH]: hash }, rm: true, forcerm: true, networkmode: 'none' });
  const [output] = await Promise.all([follow(docker, stream), done]);
  const failure = output.find((e) => e.error || e.errorDetail);
  if (failure) throw new ImageBuildError('Building the native connector image failed', { context: { image: tag, reason: String(failure.error ?? failure.errorDetail?.message).slice(0, 300) } });
  await docker.getImage(tag).tag({ repo: `${b.repo}/${b.name}`, tag: 'dev' });
  const built = await docker.getImage(tag).inspect();
  return { name: b.name, tag, built: true, sizeBytes: built.Size, addedBytes: built.Size - b.baseSize, durationMs: Date.now() - t0 };
}

async function stage(b: BuildInput): Promise<{ files: string[]; hash: string; dockerfile: string; manifest: string }> {
  const needs = await nativeImageFiles(b.root, b.name);
  const files = [...needs.dist];
  for (const p of needs.packages) files.push(...await filesUnder(b.root, p));
  const h = createHash('sha256').update(`${b.baseId}\n${b.name}\n${b.version}\n`);
  for (const f of needs.dist) h.update(`${f}\n`).update(await readFile(join(b.root, f)));
  // A package's content is its name and version (npm ci installs exactly the lockfile's).
  for (const p of needs.packages) h.update(`${p}@${(JSON.parse(await readFile(join(b.root, p, 'package.json'), 'utf8')) as { version?: string }).version}\n`);
  const entry = `/airbyte/app/dist/native-connectors/${b.name}/main.js`;
  const dockerfile = [
    `FROM ${b.base}`,
    'COPY app /airbyte/app',
    `ENV AIRBYTE_ENTRYPOINT="node ${entry}" NODE_ENV=production`,
    `LABEL io.airbyte.name="${b.repo}/${b.name}" io.airbyte.version="${b.version}"`,
    'WORKDIR /airbyte/app',
    'USER node',
    // The image must at least start: a missing file or package fails the build, not the first sync.
    `RUN node ${entry} spec > /dev/null`,
    `ENTRYPOINT ["node", "${entry}"]`,
    '',
  ].join('\n');
  const hash = h.update(dockerfile).digest('hex').slice(0, 32);
  const manifest = `${JSON.stringify({ name: `airdock-${b.name}`, version: b.version, private: true, type: 'module' })}\n`;
  return { files, hash, dockerfile, manifest };
}

interface BuildEvent { stream?: string; error?: string; errorDetail?: { message?: string } }

function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<BuildEvent[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: BuildEvent[]) => (err ? reject(err) : resolve(output)));
  });
}
