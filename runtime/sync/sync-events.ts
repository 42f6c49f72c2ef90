import type { SyncStats } from './sync-stats.js';

/**
 * What a running sync tells whoever watches it (the CLI's progress display, a metrics registry, an
 * embedding program). `stats` are the live counters of the sync: read them (on a timer, say), never
 * write them. The other events are the facts a counter or histogram observes one by one.
 */
export type SyncEvent =
  | { type: 'started'; connection: string; stats: SyncStats }
  | { type: 'ended'; connection: string; stats: SyncStats }
  | { type: 'attempt-started'; attempt: number }
  | { type: 'attempt-failed'; attempt: number; origin: string; failureType: string }
  | { type: 'connector-started'; side: 'source' | 'destination'; seconds: number }
  | { type: 'state-committed'; lagSeconds: number };

export type SyncEventListener = (event: SyncEvent) => void;
