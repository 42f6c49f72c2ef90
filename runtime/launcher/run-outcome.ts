import {
  AbortedError, ConnectorExitError, ConnectorFailedError, ConnectorTimeoutError, isAirdockError, type AirbyteErrorTraceMessage,
} from '../../protocol/index.js';
import type { ExitStatus } from './backend.js';
import type { Stop } from './stop.js';

/** Everything known about a run once it is over. */
export interface RunFacts {
  stop: Stop | undefined;
  /** Something that failed on our side: preflight, start, decoding, a consumer that threw. */
  failure?: unknown;
  /** Whether a process was started at all. */
  started: boolean;
  exit: ExitStatus;
  traceErrors: readonly AirbyteErrorTraceMessage[];
  stderrTail: readonly string[];
  context: { connector: string; command: string };
}

const STDERR_IN_ERROR = 20;

/** The error our own stop (abort, time limit) turns into; undefined for a consumer's stop or none. */
export function stopError(stop: Stop | undefined, context: RunFacts['context']): unknown {
  if (!stop || stop.kind === 'consumer' || stop.kind === 'abandoned') return undefined;
  if (stop.kind === 'abort') {
    return isAirdockError(stop.reason) ? stop.reason
      : new AbortedError('The run was interrupted', { context, ...(stop.reason === undefined ? {} : { cause: stop.reason }) });
  }
  const message = stop.what === 'heartbeat' ? 'The connector sent no message for too long' : 'The connector did not finish in time';
  return new ConnectorTimeoutError(message, { context: { ...context, [stop.what === 'heartbeat' ? 'heartbeatMs' : 'timeoutMs']: stop.ms } });
}

/**
 * How a run ended, as the user should hear it: undefined for success, else a typed error. Our own
 * stops come first, then our own failures, then what the connector said (a TRACE ERROR), then how it
 * exited. A process we stopped with TERM (143) is a clean stop, not a crash.
 */
export function runOutcome(f: RunFacts): unknown {
  const stopped = stopError(f.stop, f.context);
  if (stopped) return stopped;
  if (f.failure !== undefined) return f.failure;
  if (!f.started || f.stop?.kind === 'abandoned') return undefined;
  const first = f.traceErrors[0];
  if (first) {
    return new ConnectorFailedError(first.message, first.failure_type ?? undefined, {
      context: { ...f.context, exitCode: f.exit.code, ...(first.stream_descriptor ? { stream: first.stream_descriptor.name } : {}) },
    });
  }
  const { exit } = f;
  const clean = exit.code === 0 || (exit.terminated === true && (exit.code === 143 || exit.signal === 'SIGTERM' || f.stop?.kind === 'consumer'));
  if (clean) return undefined;
  const message = exit.oomKilled ? 'The connector was killed: out of memory'
    : exit.signal ? 'The connector was killed by a signal' : 'The connector exited with an error';
  return new ConnectorExitError(message, {
    context: { ...f.context, exitCode: exit.code, signal: exit.signal ?? undefined, ...(exit.oomKilled ? { oomKilled: true } : {}),
      stderrTail: f.stderrTail.slice(-STDERR_IN_ERROR) },
  });
}
