import { ConnectorNotFoundError, UsageError } from '../protocol/errors/index.js';
import type { ConnectorEntry } from './entry.js';
import { imageRef } from './entry.js';
import { isBareName } from './is-bare-name.js';
import type { Registry } from './registry.js';

export type ResolvedRef =
  | { kind: 'native'; name: string; entry: ConnectorEntry }
  | { kind: 'image'; image: string; entry: ConnectorEntry };

export interface ResolveOptions {
  /** `native` (default): our implementation when one exists; `image`: the Airbyte image when one exists. */
  prefer?: 'native' | 'image';
  registry: Registry;
}

/**
 * What a bare connector name runs as: the native connector when we have one, else the registry's
 * `dockerRepository:dockerImageTag`. An unknown name fails with the closest names as suggestions.
 */
export function resolveConnectorRef(ref: string, opts: ResolveOptions): ResolvedRef {
  if (!isBareName(ref)) {
    throw new UsageError('Only a bare connector name can be resolved through the catalog', {
      context: { ref }, hint: 'Pass an image (repo:tag), native:<name> or a path as is',
    });
  }
  const entry = opts.registry.get(ref);
  if (!entry) throw new ConnectorNotFoundError(ref.trim(), opts.registry.suggest(ref));
  const image = imageRef(entry);
  // Fall through to the other kind when the preferred one does not exist: a name is always runnable.
  if (entry.native && (opts.prefer !== 'image' || image === undefined)) return { kind: 'native', name: entry.native.name, entry };
  return { kind: 'image', image: image!, entry };
}
