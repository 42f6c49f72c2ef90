import type { SyncStats } from './sync-stats.js';

export interface SyncSummary {
  status: 'succeeded' | 'failed' | 'cancelled';
  attempts: number;
  durationMs: number;
  streams: { namespace: string | null; name: string; recordsEmitted: number; recordsCommitted: number; bytesEmitted: number; status: string }[];
  recordsEmitted: number;
  recordsCommitted: number;
  /** Whether any state was committed (and persisted) by this run. */
  stateCommitted: boolean;
  statesEmitted: number;
  statesCommitted: number;
  failure?: { origin: string; failureType: string; message: string; lastLogLines: string[] };
}

export function buildSummary(init: { status: SyncSummary['status']; attempts: number; stats: SyncStats; statesEmitted: number; statesCommitted: number; failure?: SyncSummary['failure'] }): SyncSummary {
  const streams = [...init.stats.streams.values()].map((s) => ({
    namespace: s.namespace ?? null,
    name: s.name,
    recordsEmitted: s.recordsEmitted,
    recordsCommitted: s.recordsCommitted,
    bytesEmitted: s.bytesEmitted,
    status: s.status === 'pending' ? 'NOT_STARTED' : s.status,
  }));
  return {
    status: init.status,
    attempts: init.attempts,
    durationMs: Date.now() - init.stats.startedAt,
    streams,
    recordsEmitted: init.stats.recordsEmitted,
    recordsCommitted: init.stats.recordsCommitted,
    stateCommitted: init.statesCommitted > 0,
    statesEmitted: init.statesEmitted,
    statesCommitted: init.statesCommitted,
    ...(init.failure ? { failure: init.failure } : {}),
  };
}
