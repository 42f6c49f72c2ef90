import { isAbsolute, join, resolve } from 'node:path';
import type { LogLevel } from './log/logger.js';

/**
 * Everything the runtime and the CLI take from the environment, read in one place so the rest of the
 * code gets its settings through constructors (and tests can pass their own). `${VAR}` expansion in
 * config files reads `environment()`, also here.
 */
export interface RuntimeOptions {
  /** AIRDOCK_HOME, default `.airdock` in the working directory. */
  home: string;
  /** AIRDOCK_REGISTRY: a registry file or URL (catalog). */
  registry: string | undefined;
  /** AIRDOCK_OFFLINE=1: never fetch the registry. */
  offline: boolean;
  /** AIRDOCK_DEBUG=1: debug logs and stacks. */
  debug: boolean;
  /** AIRDOCK_LOG_LEVEL (debug|info|warn|error), default info (debug with AIRDOCK_DEBUG=1). */
  logLevel: LogLevel;
  /**
   * Where the process backend makes its private job directories (0700; configs inside are plain
   * text): `$XDG_RUNTIME_DIR/airdock` (a per-user tmpfs) when set, else `$AIRDOCK_HOME/jobs`. Never a
   * name in a shared /tmp.
   */
  jobRoot: string;
  /** The environment a local connector process inherits (PATH, HOME, locale...). */
  processEnv: Readonly<Record<string, string>>;
  /** AIRDOCK_PYTHON: the interpreter Python connectors' venvs are made from (default python3 on PATH). */
  python: string | undefined;
  /** AIRDOCK_PYTHON_INSTALLER=uv|pip: force one (default uv when it is on PATH, else pip). */
  pythonInstaller: 'uv' | 'pip' | undefined;
  /** AIRDOCK_CDK_VERSION: the airbyte-cdk whose declarative runner runs manifests. */
  cdkVersion: string | undefined;
  /** AIRDOCK_METADATA_URL: where manifests are fetched from (default beside the registry). */
  metadataUrl: string | undefined;
  /** AIRDOCK_STATE_FLUSH_MS: the shortest time between two saves of acknowledged state in a sync (default 1 s). */
  stateFlushMs: number | undefined;
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

export function loadOptions(env: NodeJS.ProcessEnv = process.env): RuntimeOptions {
  const debug = env.AIRDOCK_DEBUG === '1';
  const level = env.AIRDOCK_LOG_LEVEL?.toLowerCase();
  const processEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) processEnv[k] = v;
  const home = resolve(nonEmpty(env.AIRDOCK_HOME) ?? '.airdock');
  const runtimeDir = nonEmpty(env.XDG_RUNTIME_DIR);
  return {
    home,
    registry: nonEmpty(env.AIRDOCK_REGISTRY),
    offline: env.AIRDOCK_OFFLINE === '1',
    debug,
    logLevel: level && LEVELS.has(level) ? (level as LogLevel) : debug ? 'debug' : 'info',
    jobRoot: runtimeDir && isAbsolute(runtimeDir) ? join(runtimeDir, 'airdock') : join(home, 'jobs'),
    processEnv,
    stateFlushMs: positive(env.AIRDOCK_STATE_FLUSH_MS),
    python: nonEmpty(env.AIRDOCK_PYTHON),
    pythonInstaller: env.AIRDOCK_PYTHON_INSTALLER === 'uv' || env.AIRDOCK_PYTHON_INSTALLER === 'pip' ? env.AIRDOCK_PYTHON_INSTALLER : undefined,
    cdkVersion: nonEmpty(env.AIRDOCK_CDK_VERSION),
    metadataUrl: nonEmpty(env.AIRDOCK_METADATA_URL),
  };
}

/** The environment `${VAR}` references are expanded from. */
export function environment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

function positive(v: string | undefined): number | undefined {
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
