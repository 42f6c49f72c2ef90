import { dirname, resolve } from 'node:path';
import { StateCorruptError, StateSet, streamKey, type AirbyteStateMessage } from '../../protocol/index.js';
import type { Connector } from '../connector.js';
import type { Runtime } from '../create-runtime.js';
import type { Logger } from '../log/logger.js';
import type { StateStore } from '../state/state-store.js';
import type { Connection } from './connection-file.js';
import { deriveCatalog, type DerivedCatalogs } from './derive-catalog.js';
import { nextSyncId } from './next-sync-id.js';
import { NamespaceMapper } from './namespace-mapper.js';
import { StateTracker } from './state-tracker.js';
import type { SyncEventListener } from './sync-events.js';
import { SyncStats } from './sync-stats.js';

/** Everything a sync's attempts share, settled before the first one starts. */
export interface SyncPlan {
  connection: Connection;
  runId: string;
  source: Connector;
  destination: Connector;
  catalogs: DerivedCatalogs;
  committed: StateSet;
  mapper: NamespaceMapper;
  stats: SyncStats;
  tracker: StateTracker;
  log: Logger;
}

export interface PlanOptions {
  runtime: Runtime;
  connection: Connection;
  store: StateStore;
  signal: AbortSignal;
  fullRefresh?: boolean;
  /** Told of each attempt, connector start and committed state (SyncStats' events). */
  onEvent?: SyncEventListener;
}

/**
 * Before anything moves: both connectors resolved, the committed state loaded, both configs checked
 * against their connector's spec (every problem at once, no values), the source discovered and both
 * catalogs derived. Streams configured full_refresh + overwrite start over.
 */
export async function planSync(o: PlanOptions): Promise<SyncPlan> {
  const c = o.connection;
  const log = o.runtime.log;
  // Relative program paths in a connection file are relative to the file, not to the shell.
  const refFor = (ref: string) => (ref.startsWith('./') || ref.startsWith('../') ? resolve(dirname(c.path), ref) : ref);
  const lines = c.maxLineBytes ? { maxLineBytes: c.maxLineBytes } : {};
  const [source, destination] = await Promise.all([
    o.runtime.connector(refFor(c.source.connector), { log: log.child('source'), ...pick(c.source), ...(c.source.limits ? { limits: c.source.limits } : {}), ...lines }),
    o.runtime.connector(refFor(c.destination.connector), { log: log.child('destination'), ...pick(c.destination), ...(c.destination.limits ? { limits: c.destination.limits } : {}), ...lines }),
  ]);
  const runId = `${c.name}-${Date.now().toString(36)}-${process.pid}`;
  o.signal.throwIfAborted();
  const committed = await loadCommitted(o, log);
  const mapper = new NamespaceMapper(c.namespace);
  // Both are checked at once; when both are wrong the source's problems are reported (the same every time).
  const checked = await Promise.allSettled([
    source.validateConfig(c.source.config, { signal: o.signal }),
    destination.validateConfig(c.destination.config, { signal: o.signal }),
  ]);
  for (const r of checked) if (r.status === 'rejected') throw r.reason;
  log.info(`discovering streams of ${source.name}`);
  const discovered = await source.discover(c.source.config, { signal: o.signal });
  // Fetched once already by the config check above (the connector caches it).
  const destinationModes = (await destination.spec({ signal: o.signal })).supported_destination_sync_modes;
  const syncId = await nextSyncId(o.store, c.name, log);
  const catalogs = deriveCatalog(discovered, c.streams, { syncId, mapper, file: c.path, ...(destinationModes ? { destinationModes } : {}) });
  const stats = new SyncStats(o.onEvent);
  for (const s of catalogs.source.streams) stats.of(s.stream.name, s.stream.namespace);
  const tracker = new StateTracker(committed, stats, (m) => log.child('destination').warn(m));
  resetOverwrittenStreams(catalogs, committed, tracker);
  log.info(`sync ${c.name}: ${catalogs.source.streams.map((s) => `${s.stream.name} (${s.sync_mode}/${s.destination_sync_mode})`).join(', ')}`);
  return { connection: c, runId, source, destination, catalogs, committed, mapper, stats, tracker, log };
}

/** The connection file's executor and version of one side, for resolving its connector. */
function pick(s: Connection['source']): Pick<Connection['source'], 'executor' | 'version' | 'backend'> {
  return { ...(s.executor ? { executor: s.executor } : {}), ...(s.version ? { version: s.version } : {}), ...(s.backend ? { backend: s.backend } : {}) };
}

async function loadCommitted(o: PlanOptions, log: Logger): Promise<StateSet> {
  const name = o.connection.name;
  let stored: AirbyteStateMessage[] = [];
  if (!o.fullRefresh) stored = await o.store.load(name);
  else log.info('--full-refresh: the stored state is ignored for this run');
  try {
    return StateSet.from(stored);
  } catch (err) {
    throw new StateCorruptError('The stored state cannot be used', { cause: err, context: { connection: name, store: o.store.describe } });
  }
}

/** A stream that is read whole and overwritten starts from nothing: forget its state. */
function resetOverwrittenStreams(catalogs: DerivedCatalogs, committed: StateSet, tracker: StateTracker): void {
  const resets = catalogs.source.streams
    .filter((s) => s.sync_mode === 'full_refresh' && s.destination_sync_mode === 'overwrite')
    .map((s) => streamKey(s.stream.namespace === undefined ? { name: s.stream.name } : { name: s.stream.name, namespace: s.stream.namespace }));
  if (resets.length === 0 || committed.isEmpty) return;
  const before = JSON.stringify(committed.toArray());
  committed.resetStreams(resets);
  if (JSON.stringify(committed.toArray()) !== before) tracker.markDirty();
}
