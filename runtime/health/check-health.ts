import { isAirdockError } from '../../protocol/index.js';
import type { Runtime } from '../create-runtime.js';

/** One connector config to check: a side of a connection, or a bare `<ref> --config`. */
export interface HealthTarget {
  /** The connection's name, or the ref for a bare connector. */
  name: string;
  side: 'source' | 'destination' | 'connector';
  connector: string;
  config: Record<string, unknown>;
}

export interface SideHealth {
  name: string;
  side: HealthTarget['side'];
  connector: string;
  healthy: boolean;
  /** SUCCEEDED / FAILED as the connector answered; TIMEOUT; ERROR when it could not be run. */
  status: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'ERROR';
  latencyMs: number;
  /** The connector's reason, or the error's code and message (secrets are masked by the caller's redactor). */
  message?: string;
  code?: string;
}

const STOP_GRACE_MS = 1000;

/**
 * Runs `check` on every target at once, each bounded by `timeoutMs` from the moment it starts (spec,
 * image pull and check included), and reports each side's status and latency. Never throws for a
 * side that fails: that is what it reports.
 */
export async function checkHealth(runtime: Runtime, targets: readonly HealthTarget[], o: { timeoutMs: number; signal?: AbortSignal }): Promise<SideHealth[]> {
  return Promise.all(targets.map(async (t): Promise<SideHealth> => {
    const deadline = AbortSignal.timeout(o.timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline;
    const t0 = performance.now();
    // The latency of a check that timed out is the timeout, not the time its process took to stop.
    let stoppedAt: number | undefined;
    deadline.addEventListener('abort', () => { stoppedAt = performance.now(); }, { once: true });
    const base = { name: t.name, side: t.side, connector: t.connector };
    const took = () => Math.round((stoppedAt ?? performance.now()) - t0);
    try {
      const connector = await runtime.connector(t.connector, { timeouts: { spec: o.timeoutMs, check: o.timeoutMs } });
      // A check has nothing to finish: a short TERM → KILL grace keeps a stuck connector from holding the answer.
      const r = await connector.check(t.config, { signal, timeoutMs: o.timeoutMs, graceMs: STOP_GRACE_MS });
      return { ...base, healthy: r.status === 'SUCCEEDED', status: r.status, latencyMs: took(), ...(r.message ? { message: r.message } : {}) };
    } catch (err) {
      const timedOut = deadline.aborted || (isAirdockError(err) && err.code === 'AIRDOCK_CONNECTOR_TIMEOUT');
      if (timedOut) return { ...base, healthy: false, status: 'TIMEOUT', latencyMs: took(), message: `no answer within ${o.timeoutMs / 1000} s` };
      return {
        ...base, healthy: false, status: 'ERROR', latencyMs: took(),
        ...(isAirdockError(err) ? { code: err.code, message: err.message } : { message: (err as Error).message }),
      };
    }
  }));
}
