import { dirname, resolve } from 'node:path';
import {
  AbortedError, StateCorruptError, StateSet, SyncFailedError, isAirdockError, stateFileValue, streamKey,
  type AirbyteStateMessage, type FailureType,
} from '../../protocol/index.js';
import { resolveConnector, type ResolvedConnector } from '../connector-ref.js';
import type { Backend, LaunchTarget } from '../launcher/backend.js';
import type { Logger } from '../log/logger.js';
import type { StateStore } from '../state/state-store.js';
import type { Connection } from './connection-file.js';
import { deriveCatalog } from './derive-catalog.js';
import { NamespaceMapper } from './namespace-mapper.js';
import { retryDelayMs, sleep } from './retry-policy.js';
import { Connector } from '../connector.js';
import { Launcher } from '../launcher/launcher.js';
import { runAttempt, type AttemptFailure } from './run-attempt.js';
import { StateTracker } from './state-tracker.js';
import { buildSummary, type SyncSummary } from './sync-summary.js';
import { SyncStats } from './sync-stats.js';
import type { SyncEventListener } from './sync-events.js';

export interface Backends {
  /** The backend that runs this target (process for commands, Docker for images). */
  for(target: LaunchTarget): Promise<Backend>;
}

export interface RunSyncOptions {
  connection: Connection;
  store: StateStore;
  backends: Backends;
  log: Logger;
  signal: AbortSignal;
  /** Ignore the stored state for this run. */
  fullRefresh?: boolean;
  /** How often acknowledged state is persisted while the sync runs (default 10 s). */
  flushIntervalMs?: number;
  /** Told when the attempts start and when they end (progress displays read the live stats). */
  onEvent?: SyncEventListener;
  /** Connector reference resolution (catalog settings); default resolveConnector with no options. */
  resolve?: (ref: string) => Promise<ResolvedConnector>;
}

export interface RunSyncResult {
  summary: SyncSummary;
  /** Set when the sync did not succeed: SyncFailedError, AbortedError or a config/state error. */
  error?: unknown;
}

/**
 * `airdock sync`: resolve both connectors, discover, derive the catalogs, then run attempts until one
 * succeeds, a failure is not retryable, or the attempts are used up. Acknowledged state is persisted
 * every `flushIntervalMs` and at the end, whatever the outcome, so a rerun resumes from it.
 */
export async function runSync(o: RunSyncOptions): Promise<RunSyncResult> {
  const c = o.connection;
  const stats = new SyncStats();
  const log = o.log;
  const resolveRef = o.resolve ?? ((ref: string) => resolveConnector(ref));
  const baseDir = dirname(c.path);
  // Relative program paths in a connection file are relative to the file, not to the shell.
  const refFor = (ref: string) => (ref.startsWith('./') || ref.startsWith('../') ? resolve(baseDir, ref) : ref);
  const [sourceRef, destinationRef] = await Promise.all([resolveRef(refFor(c.source.connector)), resolveRef(refFor(c.destination.connector))]);
  const [sourceBackend, destinationBackend] = await Promise.all([o.backends.for(sourceRef.target), o.backends.for(destinationRef.target)]);
  const runId = `${c.name}-${Date.now().toString(36)}-${process.pid}`;
  o.signal.throwIfAborted();

  let stored: AirbyteStateMessage[] = [];
  if (!o.fullRefresh) stored = await o.store.load(c.name);
  else log.info('--full-refresh: the stored state is ignored for this run');
  let committed: StateSet;
  try {
    committed = StateSet.from(stored);
  } catch (err) {
    throw new StateCorruptError('The stored state cannot be used', { cause: err, context: { connection: c.name, store: o.store.describe } });
  }

  const mapper = new NamespaceMapper(c.namespace);
  // spec and discover go through the same Connector facade as `airdock discover`: both configs are
  // checked against their connector's spec before anything runs (every problem at once, no values).
  const slot = (t: LaunchTarget) => (t.kind === 'image' ? 'docker' : 'process');
  const launcher = new Launcher({ backends: { [slot(sourceRef.target)]: sourceBackend, [slot(destinationRef.target)]: destinationBackend }, log });
  const source = new Connector({ launcher, target: sourceRef.target, name: sourceRef.name, log: log.child('source') });
  const destination = new Connector({ launcher, target: destinationRef.target, name: destinationRef.name, log: log.child('destination') });
  await Promise.all([
    source.validateConfig(c.source.config as object, { signal: o.signal }),
    destination.validateConfig(c.destination.config as object, { signal: o.signal }),
  ]);
  log.info(`discovering streams of ${sourceRef.name}`);
  const discovered = await source.discover(c.source.config as object, { signal: o.signal });
  const catalogs = deriveCatalog(discovered, c.streams, { syncId: Math.floor(Date.now() / 1000), mapper, file: c.path });
  for (const s of catalogs.source.streams) stats.of(s.stream.name, s.stream.namespace);
  const resets = catalogs.source.streams
    .filter((s) => s.sync_mode === 'full_refresh' && s.destination_sync_mode === 'overwrite')
    .map((s) => streamKey(s.stream.namespace === undefined ? { name: s.stream.name } : { name: s.stream.name, namespace: s.stream.namespace }));
  const tracker = new StateTracker(committed, stats, (m) => log.child('destination').warn(m));
  if (resets.length > 0 && !committed.isEmpty) {
    const before = JSON.stringify(committed.toArray());
    committed.resetStreams(resets);
    if (JSON.stringify(committed.toArray()) !== before) tracker.markDirty();
  }
  log.info(`sync ${c.name}: ${catalogs.source.streams.map((s) => `${s.stream.name} (${s.sync_mode}/${s.destination_sync_mode})`).join(', ')}`);

  // The flusher: saves never overlap, and a failed save is retried at the next tick.
  let saving: Promise<void> = Promise.resolve();
  let saveError: unknown;
  let persisted = false;
  const save = () => {
    saving = saving.then(async () => {
      if (!tracker.takeDirty()) return;
      try {
        await o.store.save(c.name, committed.toArray());
        persisted = true;
        saveError = undefined;
      } catch (err) {
        saveError = err;
        tracker.markDirty();
        log.warn(`could not persist state: ${isAirdockError(err) ? err.describe() : String(err)}`);
      }
    });
    return saving;
  };
  const flusher = setInterval(() => void save(), o.flushIntervalMs ?? 10_000);
  flusher.unref();
  o.onEvent?.({ type: 'started', connection: c.name, stats });

  let attempts = 0;
  let outcome: 'succeeded' | 'failed' | 'aborted' = 'failed';
  let failure: AttemptFailure | undefined;
  try {
    for (;;) {
      attempts++;
      tracker.resetPending();
      const states = committed.toArray();
      try {
        const r = await runAttempt({
          runId: `${runId}-${attempts}`,
          source: { backend: sourceBackend, target: sourceRef.target, name: sourceRef.name, config: c.source.config },
          destination: { backend: destinationBackend, target: destinationRef.target, name: destinationRef.name, config: c.destination.config },
          sourceCatalog: catalogs.source, destinationCatalog: catalogs.destination,
          state: states.length === 0 ? undefined : stateFileValue(states),
          tracker, stats, mapper, log, signal: o.signal,
          sourceIdleTimeoutMs: c.sourceIdleTimeoutMs, destinationGraceMs: c.destinationGraceMs,
        });
        outcome = r.status;
        failure = r.failures[0];
      } catch (err) {
        // Starting a connector failed (image pull, Docker hiccup, missing program).
        outcome = 'failed';
        failure = {
          origin: 'runtime', at: Date.now(), lastLogLines: [],
          failureType: isAirdockError(err) ? err.failureType : 'system_error',
          retryable: isAirdockError(err) ? err.retryable : false,
          message: isAirdockError(err) ? err.describe() : String(err),
        };
      }
      await save();
      if (outcome !== 'failed' || !failure) break;
      const counts = `${stats.recordsEmitted} records emitted, ${stats.recordsCommitted} committed`;
      if (!failure.retryable || attempts >= c.retry.attempts || o.signal.aborted) {
        log.error(`attempt ${attempts} failed (${failure.origin}, ${failure.failureType}): ${failure.message}; ${counts}`);
        break;
      }
      const delay = retryDelayMs(c.retry, attempts);
      log.warn(`attempt ${attempts} failed (${failure.origin}, ${failure.failureType}): ${failure.message}; ${counts}; retrying from the committed state in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, o.signal);
      if (o.signal.aborted) { outcome = 'aborted'; break; }
    }
  } finally {
    clearInterval(flusher);
    o.onEvent?.({ type: 'ended', connection: c.name, stats });
    await save();
  }

  if (tracker.statesEmitted > 0 && tracker.statesCommitted === 0) {
    log.warn(`the destination acknowledged none of the ${tracker.statesEmitted} states the source sent: no state was committed, the next run starts over`);
  }
  const status = outcome === 'succeeded' ? 'succeeded' : outcome === 'aborted' ? 'cancelled' : 'failed';
  const summary = buildSummary({
    status, attempts, stats, statesEmitted: tracker.statesEmitted, statesCommitted: tracker.statesCommitted,
    ...(failure && outcome === 'failed' ? { failure: { origin: failure.origin, failureType: failure.failureType, message: failure.message, lastLogLines: failure.lastLogLines } } : {}),
  });
  summary.stateCommitted = persisted;
  log.info(`sync ${c.name} ${status}: ${summary.recordsEmitted} records emitted, ${summary.recordsCommitted} committed, ${tracker.statesCommitted}/${tracker.statesEmitted} states committed (${o.store.describe}), ${attempts} attempt(s), ${summary.durationMs} ms`);
  if (saveError) return { summary, error: saveError };
  if (outcome === 'aborted') return { summary, error: new AbortedError('The sync was interrupted; acknowledged state was committed', { context: { connection: c.name, recordsCommitted: summary.recordsCommitted } }) };
  if (outcome === 'failed' && failure) {
    for (const line of failure.lastLogLines) log.child(failure.origin).error(`  | ${line}`);
    return {
      summary,
      error: new SyncFailedError(`The ${failure.origin} failed: ${clip(failure.message)}`, {
        origin: failure.origin, failureType: failure.failureType as FailureType, retryable: failure.retryable, lastLogLines: failure.lastLogLines,
      }, { context: { connection: c.name, attempts, recordsEmitted: summary.recordsEmitted, recordsCommitted: summary.recordsCommitted } }),
    };
  }
  return { summary };
}

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

