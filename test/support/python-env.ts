/**
 * What the python and manifest executor tests need from the CI setup: the wheelhouses that
 * scripts/setup/python-wheels.sh keeps, so that installs run offline (`pip --no-index --find-links`).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { requireEnv } from './services.js';

/** The environment of an airdock run that installs Python connectors from the local wheelhouses only. */
export function offlinePipEnv(): Record<string, string> {
  const dirs = requireEnv('AIRDOCK_TEST_WHEELHOUSES').split(':');
  for (const d of dirs) {
    if (!existsSync(join(d, '.complete'))) throw new Error(`wheelhouse ${d} is incomplete: run \`bash scripts/setup/python-wheels.sh\` (or npm test)`);
  }
  return {
    AIRDOCK_PYTHON_INSTALLER: 'pip', PIP_NO_INDEX: '1', PIP_FIND_LINKS: dirs.join(' '), PIP_DISABLE_PIP_VERSION_CHECK: '1',
    // the same for uv, should a run pick it
    UV_NO_INDEX: '1', UV_FIND_LINKS: dirs.join(','),
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
