import { ConnectorNotFoundError, ExecutorUnavailableError, UsageError } from '../protocol/errors/index.js';
import type { ConnectorEntry } from './entry.js';
import { imageRef } from './entry.js';
import { executorsOf, registryExecutor, type ExecutorKind } from './executors.js';
import { isBareName } from './is-bare-name.js';
import type { Registry } from './registry.js';

export type ResolvedRef =
  | { kind: 'native'; name: string; entry: ConnectorEntry }
  | { kind: 'python'; package: string; version: string; entry: ConnectorEntry }
  | { kind: 'manifest'; version: string; entry: ConnectorEntry }
  | { kind: 'image'; image: string; entry: ConnectorEntry };

export interface ResolveOptions {
  /** Run on this executor, or fail saying which ones the connector has. */
  executor?: ExecutorKind;
  /** `native` (default): our implementation when one exists; `image`: the Airbyte image when one exists. */
  prefer?: 'native' | 'image';
  registry: Registry;
}

/**
 * What a bare connector name runs as: the native connector when we have one, else the registry's own
 * executor (its declarative manifest, its PyPI package, else its image). `prefer: 'image'` picks the
 * image when there is one; `executor` forces one. An unknown name fails with the closest names as
 * suggestions.
 */
export function resolveConnectorRef(ref: string, opts: ResolveOptions): ResolvedRef {
  if (!isBareName(ref)) {
    throw new UsageError('Only a bare connector name can be resolved through the catalog', {
      context: { ref }, hint: 'Pass an image (repo:tag), native:<name> or a path as is',
    });
  }
  const entry = opts.registry.get(ref);
  if (!entry) throw new ConnectorNotFoundError(ref.trim(), opts.registry.suggest(ref));
  return resolveEntry(entry, opts);
}

export function resolveEntry(entry: ConnectorEntry, opts: Omit<ResolveOptions, 'registry'>): ResolvedRef {
  const kinds = executorsOf(entry);
  let kind: ExecutorKind | undefined = opts.executor;
  if (kind === undefined) {
    // Fall through to another kind when the preferred one does not exist: a name is always runnable.
    kind = opts.prefer === 'image' && kinds.includes('image') ? 'image' : kinds.includes('native') ? 'native' : registryExecutor(entry);
  }
  if (kind === undefined || !kinds.includes(kind)) {
    throw new ExecutorUnavailableError('The connector cannot run on that executor', {
      context: { connector: entry.technicalName, executor: kind ?? 'none', available: kinds.join(', ') || 'none' },
      hint: kinds.length > 0 ? `Use --executor ${kinds.join('|')}` : 'This catalog entry has nothing to run',
    });
  }
  switch (kind) {
    case 'native': return { kind, name: entry.native!.name, entry };
    case 'python': return { kind, package: entry.pypiPackage!, version: entry.dockerImageTag, entry };
    case 'manifest': return { kind, version: entry.dockerImageTag, entry };
    case 'image': return { kind, image: imageRef(entry)!, entry };
  }
}
