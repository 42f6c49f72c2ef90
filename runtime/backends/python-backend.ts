import { ProcessStartError } from '../../protocol/index.js';
import type { Backend, ConnectorProcess, LaunchTarget, StartOptions } from '../launcher/backend.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { ManifestStore } from '../python/manifest-store.js';
import type { PythonEnv, PythonEnvs } from '../python/python-envs.js';
import { join } from 'node:path';

export interface PythonBackendOptions {
  /** Starts the prepared program: job dirs, process groups and cleanup are the process backend's. */
  process: Backend;
  envs: PythonEnvs;
  manifests: ManifestStore;
  log?: Logger;
}

/**
 * Runs Python and declarative connectors without Docker. Starting one first makes sure its venv exists
 * (installing it the first time, under a lock, outside the run's time limits since the watchdog starts
 * after `start`), then hands a plain command to the process backend: from there on it is a local
 * program like any other, with the same argv, job files, stdio and stop rules.
 */
export class PythonBackend implements Backend {
  readonly name = 'python';
  readonly #o: PythonBackendOptions;

  constructor(o: PythonBackendOptions) {
    this.#o = o;
  }

  jobDir(runId: string): string {
    return this.#o.process.jobDir(runId);
  }

  async start(target: LaunchTarget, options: StartOptions): Promise<ConnectorProcess> {
    const command = await this.prepare(target, { ...(options.signal ? { signal: options.signal } : {}), log: options.log ?? this.#o.log ?? silentLogger });
    options.signal?.throwIfAborted();
    return this.#o.process.start(command, options);
  }

  /** The command a python or manifest target runs as, installing what it needs first. */
  async prepare(target: LaunchTarget, o: { signal?: AbortSignal; log?: Logger } = {}): Promise<Extract<LaunchTarget, { kind: 'command' }>> {
    if (target.kind === 'python') {
      const env = await this.#o.envs.ensure(target.package, target.version, o);
      return { kind: 'command', command: env.python, args: [scriptOf(env, target.script)] };
    }
    if (target.kind === 'manifest') {
      const manifest = await this.#o.manifests.resolve(target.manifest, o);
      const runner = await this.#o.manifests.runner(o);
      return { kind: 'command', command: runner.python, args: [runner.script, manifest.manifest, manifest.components ?? '-'] };
    }
    throw new ProcessStartError('The python backend runs python and manifest targets', { context: { target: target.kind } });
  }
}

/** The console script to run: the one named like the connector, else the package's only one. */
function scriptOf(env: PythonEnv, wanted: string | undefined): string {
  const name = wanted && env.scripts.includes(wanted) ? wanted : env.scripts.length === 1 ? env.scripts[0] : undefined;
  if (!name) {
    throw new ProcessStartError('The package has no console script to run the connector with', {
      context: { package: env.package, version: env.version, wanted, scripts: env.scripts.join(', ') || 'none' },
      hint: 'Name the connector as its package names its script, or run its image with --executor image',
    });
  }
  // Through the venv's interpreter: the script's shebang names the folder it was installed in.
  return join(env.dir, 'bin', name);
}
