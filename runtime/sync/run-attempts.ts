import { isAirdockError, stateFileValue } from '../../protocol/index.js';
import type { AttemptFailure } from './attempt-result.js';
import { retryDelayMs, sleep } from './retry-policy.js';
import { runAttempt } from './run-attempt.js';
import type { StateFlusher } from './state-flusher.js';
import type { SyncPlan } from './sync-plan.js';

export interface AttemptsOutcome {
  outcome: 'succeeded' | 'failed' | 'aborted';
  /** The first failure of the last attempt. */
  failure: AttemptFailure | undefined;
  attempts: number;
}

/**
 * Runs attempts until one succeeds, a failure is not retryable, the attempts are used up or the user
 * interrupts. Each attempt starts from the committed state; the state is saved after each one.
 */
export async function runAttempts(plan: SyncPlan, flusher: StateFlusher, signal: AbortSignal): Promise<AttemptsOutcome> {
  const { connection: c, log, stats } = plan;
  for (let attempts = 1; ; attempts++) {
    plan.tracker.resetPending();
    stats.attemptStarted(attempts);
    const { outcome, failure } = await attemptOnce(plan, attempts, signal);
    await flusher.save();
    if (outcome !== 'failed' || !failure) return { outcome, failure, attempts };
    stats.attemptFailed(attempts, failure.origin, failure.failureType);
    const what = `attempt ${attempts} failed (${failure.origin}, ${failure.failureType}): ${failure.message}; ${stats.recordsEmitted} records emitted, ${stats.recordsCommitted} committed`;
    if (!failure.retryable || attempts >= c.retry.attempts || signal.aborted) {
      log.error(what);
      return { outcome, failure, attempts };
    }
    const delay = retryDelayMs(c.retry, attempts);
    log.warn(`${what}; retrying from the committed state in ${(delay / 1000).toFixed(1)} s`);
    await sleep(delay, signal);
    if (signal.aborted) return { outcome: 'aborted', failure, attempts };
  }
}

async function attemptOnce(plan: SyncPlan, n: number, signal: AbortSignal): Promise<Omit<AttemptsOutcome, 'attempts'>> {
  const c = plan.connection;
  const states = plan.committed.toArray();
  try {
    const r = await runAttempt({
      runId: `${plan.runId}-${n}`,
      source: { connector: plan.source, config: c.source.config, catalog: plan.catalogs.source },
      destination: { connector: plan.destination, config: c.destination.config, catalog: plan.catalogs.destination },
      state: states.length === 0 ? undefined : stateFileValue(states),
      tracker: plan.tracker, stats: plan.stats, mapper: plan.mapper, log: plan.log, signal,
      sourceIdleTimeoutMs: c.sourceIdleTimeoutMs, destinationGraceMs: c.destinationGraceMs,
    });
    return { outcome: r.status, failure: r.failures[0] };
  } catch (err) {
    // Starting a connector failed (image pull, Docker hiccup, missing program).
    return {
      outcome: 'failed',
      failure: {
        origin: 'runtime', at: Date.now(), lastLogLines: [],
        failureType: isAirdockError(err) ? err.failureType : 'system_error',
        retryable: isAirdockError(err) ? err.retryable : false,
        message: isAirdockError(err) ? err.describe() : String(err),
      },
    };
  }
}
