import { join } from 'node:path';
import type { StateStore } from './state-store.js';
import { FileStateStore } from './file-state-store.js';

export type StateBackendConfig = { backend: 'file'; dir?: string } | { backend: 'postgres'; url?: string; table?: string };

/** Opens the store a connection file asks for. `stateDir` (--state-dir) overrides the file store's folder. */
export async function openStateStore(config: StateBackendConfig, options: { home: string; stateDir?: string }): Promise<StateStore> {
  if (config.backend === 'postgres') {
    // Lazy: `pg` is only loaded by connections that use it.
    const { PostgresStateStore } = await import('./postgres-state-store.js');
    return new PostgresStateStore({ url: config.url, table: config.table });
  }
  return new FileStateStore(options.stateDir ?? config.dir ?? join(options.home, 'state'));
}
