import type { SyncStats } from './sync-stats.js';

/**
 * What a running sync tells whoever watches it (the CLI's progress display, an embedding program).
 * `stats` are the live counters of the sync: read them (on a timer, say), never write them.
 */
export type SyncEvent =
  | { type: 'started'; connection: string; stats: SyncStats }
  | { type: 'ended'; connection: string; stats: SyncStats };

export type SyncEventListener = (event: SyncEvent) => void;
