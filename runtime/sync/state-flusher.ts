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
  /** The shortest time between two saves (default 1 s in a sync). */
  intervalMs: number;
}

/**
 * Persists the acknowledged state while a sync runs: as soon as the destination acknowledges a state
 * (`soon()`), but at most once per `intervalMs`, so rare states are each saved at once and a flood of
 * them costs one save per interval; also when asked (after each attempt, at the end). A kill -9 then
 * repeats at most about one interval of acknowledged records. Saves never overlap; one that fails is
 * retried an interval later, and the last failure is kept for the sync's result.
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
  #soon: NodeJS.Timeout | undefined;
  #lastSave = 0;
  #stopped = false;

  constructor(o: StateFlusherOptions) {
    this.#o = o;
  }

  start(): void {
    this.#stopped = false;
    // A backstop: a failed save is retried even when no new state arrives (spaced like the others).
    this.#timer = setInterval(() => this.soon(), this.#o.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
    this.#soon = undefined;
  }

  /** A state was acknowledged: save now, or when the interval since the last save has passed. */
  soon(): void {
    if (this.#soon || this.#stopped) return;
    const wait = Math.max(0, this.#lastSave + this.#o.intervalMs - Date.now());
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.save();
    }, wait);
  }

  save(): Promise<void> {
    const { store, connection, committed, tracker, log } = this.#o;
    this.#saving = this.#saving.then(async () => {
      if (!tracker.takeDirty()) return;
      const covered = tracker.statesCommitted;
      this.#lastSave = Date.now();
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
