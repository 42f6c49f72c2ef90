import type { ResolvedRef } from '../../catalog/resolve-connector-ref.js';

/** The `runsAs` of `catalog show --json` (docs/catalog.md). */
export type RunsAsJson =
  | { kind: 'native'; name: string }
  | { kind: 'python'; package: string; version: string }
  | { kind: 'manifest'; repository: string; version: string }
  | { kind: 'image'; image: string };

export function runsAsJson(r: ResolvedRef): RunsAsJson {
  switch (r.kind) {
    case 'native': return { kind: r.kind, name: r.name };
    case 'python': return { kind: r.kind, package: r.package, version: r.version };
    case 'manifest': return { kind: r.kind, repository: r.entry.dockerRepository, version: r.version };
    case 'image': return { kind: r.kind, image: r.image };
  }
}

/** One line for `catalog show`: `native:source-faker`, `python (airbyte-source-faker==6.2.24)`... */
export function describeRunsAs(r: RunsAsJson): string {
  switch (r.kind) {
    case 'native': return `native:${r.name}`;
    case 'python': return `python (${r.package}==${r.version})`;
    case 'manifest': return `manifest (${r.repository} ${r.version})`;
    case 'image': return r.image;
  }
}
