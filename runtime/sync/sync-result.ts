import { AbortedError, SyncFailedError, isAirdockError } from '../../protocol/index.js';
import type { AttemptsOutcome } from './run-attempts.js';
import type { StateFlusher } from './state-flusher.js';
import type { SyncPlan } from './sync-plan.js';
import { buildSummary, type SyncSummary } from './sync-summary.js';

export interface RunSyncResult {
  summary: SyncSummary;
  /** Set when the sync did not succeed: SyncFailedError, AbortedError, or the state store's error. */
  error?: unknown;
}

/** The summary of a finished sync, the log lines that close it, and the error it ends with, if any. */
export function syncResult(plan: SyncPlan, run: AttemptsOutcome, flusher: StateFlusher, storeName: string): RunSyncResult {
  const { connection: c, tracker, log } = plan;
  if (tracker.statesEmitted > 0 && tracker.statesCommitted === 0) {
    log.warn(`the destination acknowledged none of the ${tracker.statesEmitted} states the source sent: no state was committed, the next run starts over`);
  }
  // A state that was acknowledged but could not be saved fails the sync: the next run repeats its records.
  const stateError = flusher.error;
  const status = stateError || run.outcome === 'failed' ? 'failed' : run.outcome === 'aborted' ? 'cancelled' : 'succeeded';
  const failure = run.outcome === 'failed' ? run.failure : undefined;
  const shown = failure ?? (stateError ? stateFailure(stateError) : undefined);
  const statesCommitted = stateError ? flusher.persistedStates : tracker.statesCommitted;
  const summary = buildSummary({
    status, attempts: run.attempts, stats: plan.stats, statesEmitted: tracker.statesEmitted, statesCommitted,
    ...(shown ? { failure: { origin: shown.origin, failureType: shown.failureType, message: shown.message, lastLogLines: shown.lastLogLines } } : {}),
  });
  summary.stateCommitted = flusher.persisted;
  const saved = stateError ? ` (the last ${tracker.statesCommitted - flusher.persistedStates} acknowledged could not be saved)` : '';
  log.info(`sync ${c.name} ${status}: ${summary.recordsEmitted} records emitted, ${summary.recordsCommitted} committed, ${statesCommitted}/${tracker.statesEmitted} states committed${saved} (${storeName}), ${run.attempts} attempt(s), ${summary.durationMs} ms`);
  if (stateError) return { summary, error: stateError };
  if (run.outcome === 'aborted') {
    return { summary, error: new AbortedError('The sync was interrupted; acknowledged state was committed', { context: { connection: c.name, recordsCommitted: summary.recordsCommitted } }) };
  }
  if (!failure) return { summary };
  for (const line of failure.lastLogLines) log.child(failure.origin).error(`  | ${line}`);
  return {
    summary,
    error: new SyncFailedError(`The ${failure.origin} failed: ${clip(failure.message)}`, {
      origin: failure.origin, failureType: failure.failureType, retryable: failure.retryable, lastLogLines: failure.lastLogLines,
    }, { context: { connection: c.name, attempts: run.attempts, recordsEmitted: summary.recordsEmitted, recordsCommitted: summary.recordsCommitted } }),
  };
}

function stateFailure(err: unknown): NonNullable<SyncSummary['failure']> {
  return { origin: 'state', failureType: isAirdockError(err) ? err.failureType : 'system_error', message: isAirdockError(err) ? err.describe() : String(err), lastLogLines: [] };
}

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
