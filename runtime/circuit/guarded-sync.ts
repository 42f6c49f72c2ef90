import { CircuitOpenError, isAirdockError } from '../../protocol/index.js';
import type { StateStore } from '../state/state-store.js';
import { runSync, type RunSyncOptions, type RunSyncResult } from '../sync/run-sync.js';
import { CircuitBreaker, CLOSED, type CircuitRecord } from './circuit-breaker.js';

/**
 * `runSync` behind the connection's circuit breaker (when its file has `circuit_breaker:`): an open
 * circuit fails at once with CircuitOpenError, before any lock or connector; every other outcome
 * updates the breaker's record in the state store. An interrupted sync, or one refused because another
 * run holds the connection, says nothing about the source and leaves the breaker as it was.
 */
export async function runGuardedSync(o: RunSyncOptions): Promise<RunSyncResult> {
  const settings = o.connection.circuitBreaker;
  if (!settings) return runSync(o);
  const name = o.connection.name;
  const breaker = new CircuitBreaker(settings);
  const admission = breaker.admit(await loadCircuit(o.store, name));
  if (!admission.run) {
    const r = admission.record;
    throw new CircuitOpenError('The circuit breaker of this connection is open: the sync was not started', {
      context: { connection: name, consecutiveFailures: r.consecutiveFailures, retryAt: r.retryAt, lastFailure: r.lastFailure?.code ?? r.lastFailure?.failureType },
    });
  }
  if (admission.trial) {
    o.runtime.log.warn(`circuit of ${name} is half-open after ${admission.record.consecutiveFailures} failed syncs: this sync is the trial`);
    await o.store.saveRecord(name, 'circuit', admission.record);
  }
  const update = async (next: CircuitRecord) => {
    if (sameRecord(next, admission.record)) return;
    // The sync's own outcome matters more than the breaker's bookkeeping: a store that cannot take the
    // record is logged, and the next sync sees the old one.
    await o.store.saveRecord(name, 'circuit', next).catch((err: unknown) => o.runtime.log.warn(`the circuit of ${name} could not be saved: ${(err as Error).message}`));
    if (next.state === 'open') o.runtime.log.error(`circuit of ${name} opened after ${next.consecutiveFailures} failed sync(s); next try after ${next.retryAt}`);
  };
  let result: RunSyncResult;
  try {
    result = await runSync(o);
  } catch (err) {
    if (counts(err)) await update(breaker.failed(admission.record, failureOf(err)));
    throw err;
  }
  if (result.error === undefined) await update(breaker.succeeded());
  else if (counts(result.error)) await update(breaker.failed(admission.record, failureOf(result.error)));
  return result;
}

/** The breaker's record of a connection; closed when there is none. */
export async function loadCircuit(store: StateStore, connection: string): Promise<CircuitRecord> {
  return ((await store.loadRecord(connection, 'circuit')) as CircuitRecord | undefined) ?? CLOSED;
}

function counts(err: unknown): boolean {
  return !(isAirdockError(err) && (err.code === 'AIRDOCK_ABORTED' || err.code === 'AIRDOCK_STATE_LOCKED'));
}

function failureOf(err: unknown): { failureType: string; code?: string } {
  return isAirdockError(err) ? { failureType: err.failureType, code: err.code } : { failureType: 'system_error' };
}

function sameRecord(a: CircuitRecord, b: CircuitRecord): boolean {
  return a.state === 'closed' && b.state === 'closed' && a.consecutiveFailures === 0 && b.consecutiveFailures === 0;
}
