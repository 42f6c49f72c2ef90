import { isAirdockError } from '../../protocol/index.js';
import type { SyncSummary } from '../sync/sync-summary.js';
import type { SyncOutcome } from './sync-metrics.js';

/** The outcome of a sync that ran its attempts, from its summary. */
export function outcomeOfSummary(summary: SyncSummary): SyncOutcome {
  return { status: summary.status, durationMs: summary.durationMs, endedAt: Date.parse(summary.endedAt), process: summary.process };
}

/**
 * The outcome of a sync that threw before its first attempt (a connector that cannot be resolved, a
 * config that does not match its spec, a failed discover). An interrupt counts as cancelled.
 */
export function outcomeOfError(err: unknown, startedAt: number): SyncOutcome {
  const endedAt = Date.now();
  if (isAirdockError(err) && err.code === 'AIRDOCK_ABORTED') return { status: 'cancelled', durationMs: endedAt - startedAt, endedAt };
  const failureType = isAirdockError(err) ? err.failureType : 'system_error';
  // Before the attempts, only discover runs the source for real; everything else is airdock's side.
  const origin = isAirdockError(err) && err.family === 'connector' && err.context.command === 'discover' ? 'source' : 'runtime';
  return { status: 'failed', durationMs: endedAt - startedAt, endedAt, failedBeforeAttempts: { origin, failureType } };
}
