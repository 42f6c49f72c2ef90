import type { AttemptFailureFact, SyncStats } from './sync-stats.js';

export interface SyncSummary {
  status: 'succeeded' | 'failed' | 'cancelled';
  attempts: number;
  /** ISO times the sync started (after its plan) and ended. */
  startedAt: string;
  endedAt: string;
  durationMs: number;
  streams: {
    namespace: string | null; name: string; recordsEmitted: number; recordsCommitted: number; bytesEmitted: number; bytesCommitted: number; status: string;
  }[];
  recordsEmitted: number;
  recordsCommitted: number;
  bytesEmitted: number;
  bytesCommitted: number;
  /** Whether any state was committed (and persisted) by this run. */
  stateCommitted: boolean;
  statesEmitted: number;
  statesCommitted: number;
  /** Every failed attempt (the sync may still have succeeded on a later one). */
  failures: AttemptFailureFact[];
  /** How long each connector took to start, per attempt. */
  connectorStarts: { attempt: number; side: 'source' | 'destination'; ms: number }[];
  /** Source→commit lag of the committed states: how long a state waited for the destination's acknowledgement. */
  commitLag: { count: number; sumMs: number; maxMs: number };
  /** This process's CPU time and peak memory when the sync ended. */
  process: { cpuSeconds: number; maxRssBytes: number };
  failure?: { origin: string; failureType: string; message: string; lastLogLines: string[] };
}

export function buildSummary(init: { status: SyncSummary['status']; attempts: number; stats: SyncStats; statesEmitted: number; statesCommitted: number; failure?: SyncSummary['failure'] }): SyncSummary {
  const { stats } = init;
  const streams = [...stats.streams.values()].map((s) => ({
    namespace: s.namespace ?? null,
    name: s.name,
    recordsEmitted: s.recordsEmitted,
    recordsCommitted: s.recordsCommitted,
    bytesEmitted: s.bytesEmitted,
    bytesCommitted: s.bytesCommitted,
    status: s.status === 'pending' ? 'NOT_STARTED' : s.status,
  }));
  const endedAt = Date.now();
  return {
    status: init.status,
    attempts: init.attempts,
    startedAt: new Date(stats.startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs: endedAt - stats.startedAt,
    streams,
    recordsEmitted: stats.recordsEmitted,
    recordsCommitted: stats.recordsCommitted,
    bytesEmitted: stats.bytesEmitted,
    bytesCommitted: stats.bytesCommitted,
    stateCommitted: init.statesCommitted > 0,
    statesEmitted: init.statesEmitted,
    statesCommitted: init.statesCommitted,
    failures: [...stats.failures],
    connectorStarts: [...stats.connectorStarts],
    commitLag: { ...stats.commitLag },
    process: processUsage(),
    ...(init.failure ? { failure: init.failure } : {}),
  };
}

function processUsage(): SyncSummary['process'] {
  const u = process.resourceUsage();
  // maxRSS is in kilobytes.
  return { cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssBytes: u.maxRSS * 1024 };
}
