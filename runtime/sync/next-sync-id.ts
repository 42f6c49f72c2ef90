import type { Logger } from '../log/logger.js';
import type { StateStore } from '../state/state-store.js';

interface SyncIdRecord {
  last: number;
}

/**
 * The id of a new sync of a connection, which is also the generation id of the streams it rewrites.
 * Destinations take two runs with one generation for two attempts of one sync and resume the first
 * one's side table, so every sync needs its own: the start second, or one more than the last sync's
 * id when the clock has not moved past it (two syncs in one second, a clock set back). Seconds, not a
 * plain counter, so ids stay above those of syncs run before the id was kept, and fit the UInt32
 * that ClickHouse stores. Called under the connection's sync lock, so two syncs never race on it.
 */
export async function nextSyncId(store: StateStore, connection: string, log?: Logger, nowMs = Date.now()): Promise<number> {
  const previous = (await store.loadRecord(connection, 'sync')) as SyncIdRecord | undefined;
  const last = typeof previous?.last === 'number' && Number.isSafeInteger(previous.last) ? previous.last : 0;
  const id = Math.max(Math.floor(nowMs / 1000), last + 1);
  try {
    await store.saveRecord(connection, 'sync', { last: id } satisfies SyncIdRecord);
  } catch (err) {
    // A store that cannot be written (a full disk) fails the sync where it matters, at the first state
    // commit, with the reason and what to do; a sync id that is not kept only risks the next sync in
    // this same second sharing it.
    log?.warn(`the sync id of ${connection} could not be kept: ${(err as Error).message}`);
  }
  return id;
}
