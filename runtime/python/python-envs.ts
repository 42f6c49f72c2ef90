import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InstallFailedError, isAirdockError } from '../../protocol/index.js';
import { withInstallLock } from '../install/install-lock.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { installFailure } from './install-failure.js';
import { normalizeProject, readDistInfo } from './dist-info.js';
import { findPython, whichOnPath } from './find-python.js';
import { runTool } from './run-tool.js';

export type PythonInstaller = 'uv' | 'pip';

/** One venv holding one connector package at one version, as recorded in its `.airdock-env.json`. */
export interface PythonEnv {
  dir: string;
  package: string;
  version: string;
  /** The venv's interpreter; scripts run as `<python> <dir>/bin/<script>`. */
  python: string;
  scripts: string[];
  integrity: string;
  installer: PythonInstaller;
  pythonVersion: string;
  installedAt: string;
}

export interface PythonEnvsOptions {
  /** `$AIRDOCK_HOME/python`. */
  root: string;
  /** AIRDOCK_PYTHON: the interpreter venvs are made from. */
  python?: string;
  /** AIRDOCK_PYTHON_INSTALLER: force uv or pip; default uv when it is on PATH. */
  installer?: PythonInstaller;
  /** The environment installers run with (PATH, PIP_*, UV_*, proxies). */
  env: Readonly<Record<string, string>>;
  log?: Logger;
}

const RECORD = '.airdock-env.json';

/**
 * The venvs of Python connectors under AIRDOCK_HOME, one per package and version. A venv is built in
 * a staging folder and renamed into place only once the package is installed and its record written,
 * so a failed or interrupted install leaves nothing, and a half-made venv is never run. Venvs are not
 * relocatable as a whole (script shebangs name the staging path), which is why scripts are always run
 * through the venv's interpreter: `python` finds its venv from its own path, whatever the shebang says.
 */
export class PythonEnvs {
  readonly root: string;
  readonly #o: PythonEnvsOptions;

  constructor(o: PythonEnvsOptions) {
    this.root = o.root;
    this.#o = o;
  }

  dirOf(pkg: string, version: string): string {
    return join(this.root, normalizeProject(pkg), version);
  }

  async get(pkg: string, version: string): Promise<PythonEnv | undefined> {
    return readRecord(this.dirOf(pkg, version));
  }

  /** The venv for `pkg==version`, installed first when missing. */
  async ensure(pkg: string, version: string, o: { signal?: AbortSignal; log?: Logger } = {}): Promise<PythonEnv> {
    const found = await this.get(pkg, version);
    if (found) return found;
    const dir = this.dirOf(pkg, version);
    await mkdir(join(dir, '..'), { recursive: true });
    return withInstallLock(`${dir}.lock`, `${pkg}==${version}`, o.signal, async () => {
      // Whoever held the lock before us may have installed it.
      return (await this.get(pkg, version)) ?? this.#install(pkg, version, dir, o.signal, o.log ?? this.#o.log ?? silentLogger);
    });
  }

  async list(): Promise<PythonEnv[]> {
    const out: PythonEnv[] = [];
    for (const pkg of await readdir(this.root).catch(() => [] as string[])) {
      for (const version of await readdir(join(this.root, pkg)).catch(() => [] as string[])) {
        if (version.startsWith('.') || version.endsWith('.lock')) continue;
        const env = await readRecord(join(this.root, pkg, version));
        if (env) out.push(env);
      }
    }
    return out;
  }

  async remove(pkg: string, version: string): Promise<void> {
    const dir = this.dirOf(pkg, version);
    // Renamed away first, so that a concurrent run never starts from a half-deleted venv.
    const doomed = join(this.root, normalizeProject(pkg), `.removing-${version}-${randomBytes(4).toString('hex')}`);
    await rename(dir, doomed).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    await rm(doomed, { recursive: true, force: true });
  }

  async #install(pkg: string, version: string, dir: string, signal: AbortSignal | undefined, log: Logger): Promise<PythonEnv> {
    const installer = this.#installer();
    const staging = join(dir, '..', `.staging-${version}-${randomBytes(4).toString('hex')}`);
    const started = Date.now();
    log.info(`installing ${pkg}==${version} with ${installer} (once; later runs reuse the venv)`);
    try {
      const python = await this.#makeVenv(installer, staging, signal, log);
      await this.#pipInstall(installer, staging, `${pkg}==${version}`, signal, log);
      const dist = await readDistInfo(staging, pkg);
      if (!dist) {
        throw new InstallFailedError('The package installed, but its metadata is missing from the venv', { context: { package: pkg, version } });
      }
      const env: PythonEnv = {
        dir, package: pkg, version, python: join(dir, 'bin', 'python'), scripts: dist.consoleScripts, integrity: dist.integrity,
        installer, pythonVersion: python.version, installedAt: new Date().toISOString(),
      };
      await writeFile(join(staging, RECORD), `${JSON.stringify({ ...env, dir: undefined, python: undefined }, null, 2)}\n`);
      await rename(staging, dir);
      log.info(`installed ${pkg}==${version} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return env;
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      if (signal?.aborted) throw signal.reason;
      throw err;
    }
  }

  #installer(): PythonInstaller {
    if (this.#o.installer) return this.#o.installer;
    return whichOnPath('uv', this.#o.env.PATH) ? 'uv' : 'pip';
  }

  async #makeVenv(installer: PythonInstaller, staging: string, signal: AbortSignal | undefined, log: Logger): Promise<{ version: string }> {
    const env = this.#toolEnv();
    if (installer === 'uv') {
      // uv finds (or downloads) a Python itself; an interpreter we were told about, or that fits, comes first.
      const py = await findPython({ ...(this.#o.python ? { explicit: this.#o.python } : {}), path: this.#o.env.PATH, ...(signal ? { signal } : {}) })
        .catch((err: unknown) => { if (this.#o.python || !isAirdockError(err)) throw err; return undefined; });
      const r = await runTool('uv', ['venv', '--quiet', ...(py ? ['--python', py.command] : []), staging], { env, log, ...(signal ? { signal } : {}) });
      if (r.code !== 0) throw installFailure(r, { step: 'venv', installer });
    } else {
      const py = await findPython({ ...(this.#o.python ? { explicit: this.#o.python } : {}), path: this.#o.env.PATH, ...(signal ? { signal } : {}) });
      const r = await runTool(py.command, ['-m', 'venv', staging], { env, log, ...(signal ? { signal } : {}) });
      if (r.code !== 0) throw installFailure(r, { step: 'venv', installer, python: py.command });
    }
    const version = await runTool(join(staging, 'bin', 'python'), ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { env, ...(signal ? { signal } : {}) });
    return { version: version.tail.at(-1) ?? '?' };
  }

  async #pipInstall(installer: PythonInstaller, staging: string, requirement: string, signal: AbortSignal | undefined, log: Logger): Promise<void> {
    const venvPython = join(staging, 'bin', 'python');
    const [cmd, args] = installer === 'uv'
      // Bytecode now, once: uv skips it by default, and with PYTHONDONTWRITEBYTECODE (common in CI and
      // images) every start would compile the CDK again (spec of the faker: 1.2 s compiled, 4-5 s not).
      ? ['uv', ['pip', 'install', '--compile-bytecode', '--python', venvPython, requirement]] as const
      : [venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', requirement]] as const;
    const r = await runTool(cmd, args, { env: this.#toolEnv(), log, ...(signal ? { signal } : {}) });
    if (r.code !== 0) throw installFailure(r, { step: 'install', installer, requirement });
  }

  #toolEnv(): NodeJS.ProcessEnv {
    // A venv of the user's shell must not redirect where pip or uv install.
    const { VIRTUAL_ENV: _v, PYTHONHOME: _h, ...env } = this.#o.env;
    return { ...env, PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  }
}

async function readRecord(dir: string): Promise<PythonEnv | undefined> {
  try {
    const r = JSON.parse(await readFile(join(dir, RECORD), 'utf8')) as Omit<PythonEnv, 'dir' | 'python'>;
    return { ...r, dir, python: join(dir, 'bin', 'python') };
  } catch {
    return undefined;
  }
}
