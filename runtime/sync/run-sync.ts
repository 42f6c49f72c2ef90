import type { Runtime } from '../create-runtime.js';
import type { StateStore } from '../state/state-store.js';
import type { Connection } from './connection-file.js';
import { runAttempts, type AttemptsOutcome } from './run-attempts.js';
import { StateFlusher } from './state-flusher.js';
import type { SyncEventListener } from './sync-events.js';
import { planSync } from './sync-plan.js';
import { syncResult, type RunSyncResult } from './sync-result.js';

export type { RunSyncResult } from './sync-result.js';

export interface RunSyncOptions {
  /** The runtime that runs both connectors (`createRuntime()`): its launcher, logger and catalog settings. */
  runtime: Runtime;
  connection: Connection;
  store: StateStore;
  signal: AbortSignal;
  /** Ignore the stored state for this run. */
  fullRefresh?: boolean;
  /** The shortest time between two saves of acknowledged state while the sync runs (default 1 s). */
  flushIntervalMs?: number;
  /** Told when the attempts start and when they end (progress displays read the live stats). */
  onEvent?: SyncEventListener;
}

/**
 * `airdock sync`: plan (resolve, load state, validate, discover, derive the catalogs), then run
 * attempts until one succeeds, a failure is not retryable, or the attempts are used up. Acknowledged
 * state is persisted every `flushIntervalMs` and at the end, whatever the outcome, so a rerun resumes
 * from it. Resolves with the summary, and the error the sync ended with (it throws only for what
 * fails before the first attempt: a connector that cannot be resolved, a bad config, a failed discover).
 */
export async function runSync(o: RunSyncOptions): Promise<RunSyncResult> {
  // One sync per connection: a second one would write every record again and race on the state.
  await using lock = await o.store.lock(o.connection.name, 'sync');
  if (lock.tookOverFrom) {
    const h = lock.tookOverFrom;
    o.runtime.log.warn(`took over the lock of ${o.connection.name} left by pid ${h.pid} on ${h.host} (since ${h.since}), which is no longer running`);
  }
  const plan = await planSync(o);
  const name = plan.connection.name;
  const flusher = new StateFlusher({
    store: o.store, connection: name, committed: plan.committed, tracker: plan.tracker, log: plan.log, intervalMs: o.flushIntervalMs ?? 1000,
  });
  plan.tracker.onCommit = () => flusher.soon();
  flusher.start();
  o.onEvent?.({ type: 'started', connection: name, stats: plan.stats });
  let run: AttemptsOutcome;
  try {
    run = await runAttempts(plan, flusher, o.signal);
  } finally {
    flusher.stop();
    o.onEvent?.({ type: 'ended', connection: name, stats: plan.stats });
    await flusher.save();
  }
  return syncResult(plan, run, flusher, o.store.describe);
}
