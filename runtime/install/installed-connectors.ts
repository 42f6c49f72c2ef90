import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestStore } from '../python/manifest-store.js';
import type { PythonEnvs } from '../python/python-envs.js';

/** One thing `airdock install` (or a first run) put under AIRDOCK_HOME. */
export interface InstalledConnector {
  /** The connector's technical name (`source-faker`), or `airbyte-cdk` for the declarative runner. */
  name: string;
  executor: 'python' | 'manifest';
  version: string;
  /** The PyPI package (python executor and the runner), or the registry repository (manifest). */
  package: string;
  location: string;
  bytes: number;
  /** sha256 of the installed package's RECORD (python), pinning what was installed. */
  integrity?: string;
  installedAt?: string;
}

export const RUNNER_PACKAGE = 'airbyte-cdk';

/** Every venv and cached manifest, sorted by name and version. */
export async function listInstalled(envs: PythonEnvs, manifests: ManifestStore): Promise<InstalledConnector[]> {
  const out: InstalledConnector[] = [];
  for (const e of await envs.list()) {
    out.push({
      name: connectorNameOfPackage(e.package), executor: e.package === RUNNER_PACKAGE ? 'manifest' : 'python', version: e.version,
      package: e.package, location: e.dir, bytes: await sizeOf(e.dir), integrity: e.integrity, installedAt: e.installedAt,
    });
  }
  for (const m of await manifests.list()) {
    out.push({
      name: m.repository.split('/').at(-1)!, executor: 'manifest', version: m.version, package: m.repository,
      location: m.dir, bytes: await sizeOf(m.dir),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, undefined, { numeric: true }));
}

/** `airbyte-source-faker` → `source-faker`: Airbyte publishes every connector as `airbyte-<name>`. */
export function connectorNameOfPackage(pkg: string): string {
  return pkg === RUNNER_PACKAGE ? pkg : pkg.replace(/^airbyte-/, '');
}

async function sizeOf(path: string): Promise<number> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of await readdir(path).catch(() => [] as string[])) total += await sizeOf(join(path, name));
  return total;
}
