import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ProcessStartError } from '../../protocol/index.js';
import type { Backend, ConnectorProcess, ExitStatus, LaunchTarget, StartOptions } from '../launcher/backend.js';
import { recordJobConnector, removeJobDir, writeJobDir } from '../launcher/job-files.js';
import type { Logger } from '../log/logger.js';
import { JOB_DIR_PREFIX, sweepJobDirs } from './job-dir-sweeper.js';

export interface ProcessBackendOptions {
  /** Private parent (0700) of the per-run job directories: RuntimeOptions.jobRoot. */
  jobRoot: string;
  /** Environment every connector inherits (PATH, HOME...); StartOptions.env is layered on top. */
  baseEnv?: Readonly<Record<string, string>>;
  /** Before the first start, remove job dirs and stop connectors that dead airdock runs left. Default true. */
  sweep?: boolean;
  log?: Logger;
}

export const DEFAULT_GRACE_MS = 10_000;

/**
 * Runs a connector as a local program: `command ...args <argv>`, job files in a private temp dir.
 * The child gets its own process group so that stopping it also stops what it spawned (a Python
 * wrapper and its interpreter), and so that a Ctrl-C in the terminal reaches us, not it: we decide.
 */
export class ProcessBackend implements Backend {
  readonly name = 'process';
  readonly #jobRoot: string;
  readonly #baseEnv: Readonly<Record<string, string>>;
  readonly #options: ProcessBackendOptions;
  #swept: Promise<unknown> | undefined;

  constructor(options: ProcessBackendOptions) {
    this.#jobRoot = options.jobRoot;
    this.#baseEnv = options.baseEnv ?? {};
    this.#options = options;
  }

  jobDir(runId: string): string {
    return join(this.#jobRoot, `${JOB_DIR_PREFIX}${runId}`);
  }

  async start(target: LaunchTarget, options: StartOptions): Promise<ConnectorProcess> {
    if (target.kind !== 'command') {
      throw new ProcessStartError('The process backend runs commands, not images', { context: { target: target.kind } });
    }
    options.signal?.throwIfAborted();
    if (this.#options.sweep !== false) {
      this.#swept ??= sweepJobDirs(this.#jobRoot, options.log ?? this.#options.log).catch(() => undefined);
      await this.#swept;
    }
    const dir = this.jobDir(options.runId);
    await writeJobDir(dir, options.files);
    let child: ChildProcess;
    try {
      child = spawn(target.command, [...(target.args ?? []), ...options.argv], {
        env: { ...this.#baseEnv, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        // The user's working directory, not the job dir: relative paths in a config
        // (`destination_path: ./out/x.duckdb`) must land where the user ran airdock, not in a
        // temp dir that is deleted when the connector exits. Job files are passed by absolute path.
        cwd: options.cwd ?? process.cwd(),
      });
      if (child.pid !== undefined) recordJobConnector(dir, child.pid);
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
    } catch (err) {
      await removeJobDir(dir);
      const code = (err as NodeJS.ErrnoException).code;
      throw new ProcessStartError('The connector program could not be started', {
        cause: err, context: { command: target.command, reason: code },
      });
    }
    return new LocalProcess(child, dir, options);
  }
}

class LocalProcess implements ConnectorProcess {
  readonly stdin;
  readonly stdout;
  readonly stderr;
  readonly #child: ChildProcess;
  readonly #exited: Promise<ExitStatus>;
  #terminated = false;
  #stopping: Promise<ExitStatus> | undefined;
  #onAbort: (() => void) | undefined;

  constructor(child: ChildProcess, dir: string, options: StartOptions) {
    this.#child = child;
    this.stdin = child.stdin!;
    this.stdout = child.stdout!;
    this.stderr = child.stderr!;
    // A connector that exits before reading its input makes our writes fail with EPIPE; the exit
    // status is what reports that, so the stream error itself is not worth crashing over.
    this.stdin.on('error', () => {});
    if (!options.stdin) this.stdin.end();
    this.#exited = new Promise<ExitStatus>((resolve) => {
      child.once('exit', (code, signal) => {
        void removeJobDir(dir).finally(() => resolve({ code, signal, terminated: this.#terminated }));
      });
    });
    if (options.signal) {
      const signal = options.signal;
      this.#onAbort = () => void this.terminate();
      signal.addEventListener('abort', this.#onAbort, { once: true });
      void this.#exited.then(() => signal.removeEventListener('abort', this.#onAbort!));
    }
  }

  wait(): Promise<ExitStatus> {
    return this.#exited;
  }

  terminate(graceMs = DEFAULT_GRACE_MS): Promise<ExitStatus> {
    this.#stopping ??= this.#stop(graceMs);
    return this.#stopping;
  }

  async #stop(graceMs: number): Promise<ExitStatus> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#terminated = true;
      this.#kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = await Promise.race([
        this.#exited.then(() => false),
        new Promise<boolean>((r) => { timer = setTimeout(() => r(true), graceMs); }),
      ]);
      clearTimeout(timer);
      if (killed) this.#kill('SIGKILL');
      // A grandchild may still hold the pipes open; we are done listening either way.
      this.stdin.destroy();
      this.stdout.destroy();
      this.stderr.destroy();
    }
    return this.#exited;
  }

  #kill(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.#child.pid!, signal);
    } catch {
      try { this.#child.kill(signal); } catch { /* already gone */ }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }
}
