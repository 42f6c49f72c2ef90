/**
 * What the python and manifest executor tests need from the CI setup: the wheelhouses, uv and its cache
 * that scripts/setup/python-wheels.sh keeps, so that installs run offline and take seconds
 * (`uv pip install --no-index --find-links`, wheels hard-linked from the cache).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { requireEnv } from './services.js';

const SETUP = 'run `bash scripts/setup/python-wheels.sh` (or npm test)';

/**
 * The environment of an airdock run that installs Python connectors from the local wheelhouses only,
 * with uv first on PATH (what a bare install picks when uv is there). `AIRDOCK_PYTHON_INSTALLER: 'pip'`
 * on top switches a run to venv + pip, which reads the same wheelhouses.
 */
export function offlinePythonEnv(): Record<string, string> {
  const dirs = requireEnv('AIRDOCK_TEST_WHEELHOUSES').split(':');
  for (const d of dirs) {
    if (!existsSync(join(d, '.complete'))) throw new Error(`wheelhouse ${d} is incomplete: ${SETUP}`);
  }
  const uv = requireEnv('AIRDOCK_TEST_UV');
  if (!existsSync(uv)) throw new Error(`uv is missing at ${uv}: ${SETUP}`);
  return {
    PATH: `${dirname(uv)}:${process.env.PATH ?? ''}`, AIRDOCK_PYTHON_INSTALLER: '',
    UV_NO_INDEX: '1', UV_FIND_LINKS: dirs.join(','), UV_CACHE_DIR: requireEnv('AIRDOCK_TEST_UV_CACHE'), UV_PYTHON_DOWNLOADS: 'never',
    PIP_NO_INDEX: '1', PIP_FIND_LINKS: dirs.join(' '), PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
}

export function tempHome(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Pids of processes whose command line mentions `needle` (a test's AIRDOCK_HOME): what a run left running. */
export function processesMentioning(needle: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', needle], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
