import type { StreamDescriptor } from '../generated/types.js';

/**
 * The identity of a stream for state: namespace + name. An absent namespace and `""` are different
 * streams to the platform (and to destinations), so they get different keys. Keying by name alone is
 * PyAirbyte's bug: two schemas with a `users` table overwrite each other's state.
 */
export function streamKey(descriptor: Pick<StreamDescriptor, 'name' | 'namespace'>): string {
  return JSON.stringify([descriptor.namespace ?? null, descriptor.name]);
}

export function parseStreamKey(key: string): { name: string; namespace?: string } {
  const [namespace, name] = JSON.parse(key) as [string | null, string];
  return namespace === null ? { name } : { name, namespace };
}
