import type { AirbyteErrorTraceMessage } from '../../protocol/index.js';
import type { ExitStatus } from '../launcher/backend.js';
import type { AttemptFailure, AttemptResult } from './attempt-result.js';

/** How one side of an attempt ended. */
export interface SideFacts {
  exit: ExitStatus;
  /** Its first TRACE ERROR, if any. */
  traceError?: AirbyteErrorTraceMessage;
  lastLogLines: string[];
}

export interface AttemptFacts {
  source: SideFacts & {
    /** Set when the source was stopped for sending nothing this long. */
    idleMs?: number;
    /** Set when its output could not be read (a line over the limit): we stopped it. */
    streamFailure?: string;
  };
  /** `timedOut`: it did not finish within the grace period after its input ended, and was stopped. */
  destination: SideFacts & { timedOut: boolean };
  /** Ctrl-C: the source was stopped on purpose, the destination let finish. */
  aborted: boolean;
}

/**
 * Decides what an attempt's ending means, as the platform does: a TRACE ERROR's failure_type wins;
 * a side that exits non-zero without one is a transient failure (worth a retry); a process we
 * stopped ourselves (Ctrl-C, idle source, a dead destination's source) is not blamed for its exit.
 */
export function classifyAttempt(f: AttemptFacts, now = Date.now()): AttemptResult {
  const failures: AttemptFailure[] = [];
  const fail = (origin: AttemptFailure['origin'], side: SideFacts, failureType: AttemptFailure['failureType'], message: string, retryable = failureType === 'transient_error') => {
    failures.push({ origin, failureType, message, retryable, lastLogLines: side.lastLogLines, at: now });
  };
  const { source: s, destination: d } = f;
  const idle = s.idleMs !== undefined;
  if (s.streamFailure !== undefined) fail('source', s, 'system_error', s.streamFailure);
  if (idle) fail('source', s, 'transient_error', `The source sent nothing for ${Math.round(s.idleMs! / 1000)} s`);
  const sourceStoppedByUs = s.exit.terminated === true;
  if (s.traceError) fail('source', s, s.traceError.failure_type ?? 'system_error', s.traceError.message);
  else if (!f.aborted && !idle && !sourceStoppedByUs && s.exit.code !== 0) {
    fail('source', s, 'transient_error', `The source exited with ${describeExit(s.exit)} without reporting an error`);
  }
  if (d.traceError) fail('destination', d, d.traceError.failure_type ?? 'system_error', d.traceError.message);
  else if (d.timedOut) fail('destination', d, 'transient_error', 'The destination did not finish after its input ended');
  else if (d.exit.code !== 0 && !(f.aborted && d.exit.terminated)) {
    fail('destination', d, 'transient_error', `The destination exited with ${describeExit(d.exit)} without reporting an error`);
  } else if (sourceStoppedByUs && !f.aborted && !idle && failures.length === 0) {
    fail('destination', d, 'transient_error', 'The destination exited before the source finished');
  }
  return { status: f.aborted ? 'aborted' : failures.length === 0 ? 'succeeded' : 'failed', failures };
}

function describeExit(s: ExitStatus): string {
  if (s.oomKilled) return 'an out-of-memory kill';
  return s.code === null ? `signal ${s.signal ?? 'unknown'}` : `code ${s.code}`;
}
