import { NotInstalledError } from '../../protocol/index.js';
import type { ResolvedConnector } from '../connector-ref.js';
import type { Logger } from '../log/logger.js';
import type { ManifestStore } from '../python/manifest-store.js';
import type { PythonEnvs } from '../python/python-envs.js';
import { listInstalled, RUNNER_PACKAGE, type InstalledConnector } from './installed-connectors.js';

export type InstallOutcome =
  | { kind: 'installed'; name: string; executor: 'python' | 'manifest'; version: string; package: string; location: string; already: boolean }
  /** Native connectors and local programs need nothing; an image is pulled by its first run. */
  | { kind: 'nothing'; name: string; runsAs: 'native' | 'program' | 'image'; image?: string };

interface Stores { envs: PythonEnvs; manifests: ManifestStore }

/**
 * Makes a resolved connector ready to run without the network: the venv of a python target, the
 * manifest (and the declarative runner) of a manifest target. What is already there is kept as is.
 */
export async function installConnector(resolved: ResolvedConnector, s: Stores, o: { signal?: AbortSignal; log?: Logger } = {}): Promise<InstallOutcome> {
  const t = resolved.target;
  switch (t.kind) {
    case 'python': {
      const already = (await s.envs.get(t.package, t.version)) !== undefined;
      const env = await s.envs.ensure(t.package, t.version, o);
      return { kind: 'installed', name: resolved.name, executor: 'python', version: t.version, package: t.package, location: env.dir, already };
    }
    case 'manifest': {
      const cached = 'path' in t.manifest ? undefined : await s.manifests.cached(t.manifest.repository, t.manifest.version);
      const runnerThere = (await s.envs.get(RUNNER_PACKAGE, s.manifests.cdkVersion)) !== undefined;
      const m = await s.manifests.resolve(t.manifest, o);
      await s.manifests.runner(o);
      const [pkg, version] = 'path' in t.manifest ? [m.manifest, 'local'] : [t.manifest.repository, t.manifest.version];
      const already = runnerThere && ('path' in t.manifest || cached !== undefined);
      return { kind: 'installed', name: resolved.name, executor: 'manifest', version, package: pkg, location: m.manifest, already };
    }
    case 'image': return { kind: 'nothing', name: resolved.name, runsAs: 'image', image: t.image };
    case 'command': return { kind: 'nothing', name: resolved.name, runsAs: /[\/]native-connectors[\/]/.test(t.args?.[0] ?? '') ? 'native' : 'program' };
  }
}

/** Removes every installed version of a connector (or one), returning what went. */
export async function uninstallConnector(name: string, version: string | undefined, s: Stores): Promise<InstalledConnector[]> {
  const all = await listInstalled(s.envs, s.manifests);
  const doomed = all.filter((i) => i.name === name && (version === undefined || i.version === version));
  if (doomed.length === 0) {
    throw new NotInstalledError('That connector is not installed', {
      context: { connector: name, ...(version ? { version } : {}), installed: [...new Set(all.map((i) => i.name))].join(', ') || 'none' },
    });
  }
  for (const i of doomed) {
    if (i.executor === 'python' || i.package === RUNNER_PACKAGE) await s.envs.remove(i.package, i.version);
    else await s.manifests.remove(i.package, i.version);
  }
  return doomed;
}
