import { isAirdockError, type StateSet } from '../../protocol/index.js';
import type { Logger } from '../log/logger.js';
import type { StateStore } from '../state/state-store.js';
import type { StateTracker } from './state-tracker.js';

export interface StateFlusherOptions {
  store: StateStore;
  connection: string;
  committed: StateSet;
  tracker: StateTracker;
  log: Logger;
  intervalMs: number;
}

/**
 * Persists the acknowledged state while a sync runs (every `intervalMs`) and when asked (after each
 * attempt, at the end). Saves never overlap; one that fails is retried at the next tick, and the last
 * failure is kept for the sync's result.
 */
export class StateFlusher {
  /** Whether any state was written by this sync. */
  persisted = false;
  /** How many acknowledged states the last successful save covered. */
  persistedStates = 0;
  /** The last save's failure, cleared by a later success. */
  error: unknown;
  readonly #o: StateFlusherOptions;
  #saving: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(o: StateFlusherOptions) {
    this.#o = o;
  }

  start(): void {
    this.#timer = setInterval(() => void this.save(), this.#o.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  save(): Promise<void> {
    const { store, connection, committed, tracker, log } = this.#o;
    this.#saving = this.#saving.then(async () => {
      if (!tracker.takeDirty()) return;
      const covered = tracker.statesCommitted;
      try {
        await store.save(connection, committed.toArray());
        this.persisted = true;
        this.persistedStates = covered;
        this.error = undefined;
      } catch (err) {
        this.error = err;
        tracker.markDirty();
        log.warn(`could not persist state: ${isAirdockError(err) ? err.describe() : String(err)}`);
      }
    });
    return this.#saving;
  }
}
