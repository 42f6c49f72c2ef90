import type { PassThrough, Writable, Duplex } from 'node:stream';
import Docker from 'dockerode';
import { ContainerStartError, DockerUnavailableError } from '../../../protocol/index.js';
import type { Backend, ConnectorProcess, ExitStatus, LaunchTarget, StartOptions } from '../../launcher/backend.js';
import type { Logger } from '../../log/logger.js';
import { closedStdin } from '../closed-stdin.js';
import { containerExit, terminateOnAbort } from '../container-exit.js';
import { demux } from './demux.js';
import { containerCommand } from './entrypoint.js';
import { jobArchive, resolveUser } from './job-archive.js';
import { containerLabels } from './labels.js';
import { sweepOrphans } from './orphan-sweeper.js';
import { stdinWriter } from './stdin-writer.js';
import { ensureImage } from './pull-image.js';

/**
 * The job files live on an anonymous volume: a read-only root takes no files, and a tmpfs is only
 * mounted at start, after putArchive. The dir inside the volume is ours to create with the image
 * user as owner (a volume's own root is root's, and putArchive cannot change it).
 */
export const CONTAINER_JOB_VOLUME = '/airbyte/job';
export const CONTAINER_JOB_DIR = `${CONTAINER_JOB_VOLUME}/files`;
/** Enough for a JVM's threads, far from what a fork bomb needs to hurt the host. */
export const DEFAULT_PIDS_LIMIT = 4096;

export interface DockerBackendOptions {
  docker?: Docker;
  log?: Logger;
  /** Remove containers that dead airdock processes left behind. Default true. */
  sweep?: boolean;
}

/**
 * Runs connector images through the Docker API (dockerode): no bind mounts (job files go in with
 * putArchive, so a remote daemon works), stdout and stderr kept apart, stdin only for `write`, and
 * the container removed on every path.
 */
export class DockerBackend implements Backend {
  readonly name = 'docker';
  readonly docker: Docker;
  readonly #log: Logger | undefined;

  constructor(docker: Docker, log?: Logger) {
    this.docker = docker;
    this.#log = log;
  }

  /** Connects (DOCKER_HOST or the local socket), checks the daemon answers, sweeps orphans. */
  static async connect(o: DockerBackendOptions = {}): Promise<DockerBackend> {
    const docker = o.docker ?? new Docker();
    try {
      await docker.ping();
    } catch (err) {
      throw new DockerUnavailableError('The Docker daemon is not reachable', { cause: err, context: { reason: (err as { code?: string }).code ?? (err as Error).message } });
    }
    if (o.sweep !== false) await sweepOrphans(docker, o.log).catch((err) => o.log?.debug(`orphan sweep failed: ${(err as Error).message}`));
    return new DockerBackend(docker, o.log);
  }

  jobDir(): string {
    return CONTAINER_JOB_DIR;
  }

  async start(target: LaunchTarget, o: StartOptions): Promise<ConnectorProcess> {
    if (target.kind !== 'image') throw new ContainerStartError('The Docker backend runs images, not commands', { context: { target: target.kind } });
    const log = o.log ?? this.#log;
    o.signal?.throwIfAborted();
    const image = await ensureImage(this.docker, target.image, { policy: target.pull ?? 'missing', ...(log ? { log } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    const command = containerCommand(image.Config?.Env, o.argv);
    const context = { image: target.image, connector: o.connectorName };
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        Image: image.Id,
        ...command,
        Env: Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`),
        Labels: { ...containerLabels(o.runId, o.connectorName), 'airdock.image': target.image },
        Tty: false,
        OpenStdin: o.stdin,
        StdinOnce: o.stdin,
        AttachStdin: o.stdin,
        AttachStdout: true,
        AttachStderr: true,
        HostConfig: {
          Init: true,
          AutoRemove: false,
          ExtraHosts: ['host.docker.internal:host-gateway'],
          SecurityOpt: ['no-new-privileges'],
          CapDrop: ['ALL'],
          ...(o.networkMode ? { NetworkMode: o.networkMode } : {}),
          ...(o.limits?.memoryBytes ? { Memory: o.limits.memoryBytes, MemorySwap: o.limits.memoryBytes } : {}),
          ...(o.limits?.nanoCpus ? { NanoCpus: o.limits.nanoCpus } : {}),
          ...sandbox(o),
          LogConfig: { Type: 'none', Config: {} },
        },
      });
    } catch (err) {
      throw new ContainerStartError('The container could not be created', { cause: err, context: { ...context, reason: reasonOf(err) } });
    }
    const remove = () => container.remove({ force: true, v: true }).catch(() => {});
    try {
      const user = await resolveUser(container, image.Config?.User ?? '');
      await container.putArchive(jobArchive(CONTAINER_JOB_DIR.slice(CONTAINER_JOB_VOLUME.length + 1), o.files, user) as unknown as NodeJS.ReadableStream, { path: CONTAINER_JOB_VOLUME });
      const stream = (await container.attach({ stream: true, stdin: o.stdin, stdout: true, stderr: true, hijack: o.stdin })) as unknown as Duplex;
      const out = demux(stream);
      // 'next-exit' before start: the default 'not-running' answers at once for a created container.
      const waited = container.wait({ condition: 'next-exit' });
      waited.catch(() => {});
      if (o.signal?.aborted) throw o.signal.reason;
      await container.start();
      return new ContainerProcess(container, stream, out, waited, o, remove);
    } catch (err) {
      await remove();
      if (o.signal?.aborted) throw err;
      throw new ContainerStartError('The container could not be started', { cause: err, context: { ...context, reason: reasonOf(err) } });
    }
  }
}

/**
 * What every container gets unless relaxed: a root filesystem it cannot write (a connector that
 * misbehaves, or is compromised, cannot change its image), a tmpfs /tmp (exec allowed: JVMs and
 * Python wheels unpack native libraries there), the job volume, and a PIDs limit. `readOnlyRoot:
 * false` restores a writable root with /tmp on it; `pidsLimit: 0` removes the limit.
 */
function sandbox(o: StartOptions): Docker.HostConfig {
  const readOnly = o.limits?.readOnlyRoot !== false;
  const pids = o.limits?.pidsLimit ?? DEFAULT_PIDS_LIMIT;
  return {
    ReadonlyRootfs: readOnly,
    ...(readOnly ? { Tmpfs: { '/tmp': 'rw,exec,nosuid,nodev,mode=1777' } } : {}),
    Mounts: [{ Type: 'volume', Source: '', Target: CONTAINER_JOB_VOLUME }],
    PidsLimit: pids > 0 ? pids : -1,
  };
}

class ContainerProcess implements ConnectorProcess {
  readonly stdin: Writable;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  readonly #container: Docker.Container;
  readonly #exited: Promise<ExitStatus>;
  #terminated = false;
  #stopping: Promise<ExitStatus> | undefined;

  constructor(container: Docker.Container, stream: Duplex, out: ReturnType<typeof demux>, waited: Promise<{ StatusCode: number }>,
    o: StartOptions, remove: () => Promise<unknown>) {
    this.#container = container;
    this.stdout = out.stdout;
    this.stderr = out.stderr;
    this.stdin = o.stdin ? stdinWriter(stream) : closedStdin();
    // Writing after the container is gone fails; the exit status reports why, so do not crash on it.
    this.stdin.on('error', () => {});
    this.#exited = (async () => {
      let code: number | null = null;
      try { code = (await waited).StatusCode; } catch { /* removed under us: treat as killed */ }
      const state = await container.inspect().then((i) => i.State, () => undefined);
      // Let the last frames drain before the container (and its attach stream) goes away.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([out.ended, new Promise((r) => { timer = setTimeout(r, 2000); })]);
      clearTimeout(timer);
      await remove();
      return containerExit(code, state?.OOMKilled === true, this.#terminated);
    })();
    terminateOnAbort(o.signal, this, this.#exited);
  }

  wait(): Promise<ExitStatus> {
    return this.#exited;
  }

  terminate(graceMs = 10_000): Promise<ExitStatus> {
    this.#stopping ??= (async () => {
      const running = await this.#container.inspect().then((i) => i.State.Running, () => false);
      if (running) {
        this.#terminated = true;
        // Docker sends SIGTERM, waits t seconds, then SIGKILL; tini (Init) forwards it to the connector.
        await this.#container.stop({ t: Math.max(0, Math.ceil(graceMs / 1000)) }).catch(() => {});
      }
      return this.#exited;
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }
}

function reasonOf(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return (e.json?.message ?? e.message ?? String(err)).trim().slice(0, 300);
}

