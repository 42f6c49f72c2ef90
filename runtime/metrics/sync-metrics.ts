import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SyncEvent, SyncEventListener } from '../sync/sync-events.js';
import type { StreamStats, SyncStats } from '../sync/sync-stats.js';

/** How a sync ended, as the metrics count it (the summary's status, or a failure before the first attempt). */
export interface SyncOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  durationMs: number;
  /** Epoch ms. */
  endedAt: number;
  /** A sync that failed before its first attempt (resolve, config, discover): counted as one failure. */
  failedBeforeAttempts?: { origin: string; failureType: string };
  /** A batch job's own process (the summary's `process`); a server running many syncs has none per sync. */
  process?: { cpuSeconds: number; maxRssBytes: number };
}

export interface SyncMetricsOptions {
  /**
   * prom-client's process_* and nodejs_* metrics, for a long-running server scraped directly. A batch
   * job reports its CPU time and peak memory per connection instead (`SyncOutcome.process`): many jobs
   * write their files side by side, and a short process has no event-loop lag to speak of.
   */
  processMetrics?: boolean;
}

type StreamLabels = { connection: string; namespace: string; stream: string };
interface Seen { re: number; be: number; rc: number; bc: number }
interface LiveSync { stats: SyncStats; seen: Map<string, Seen> }

const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400];
const START_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * airdock's Prometheus metrics, per connection and stream, with prom-client. Per-record counters are
 * read from the live SyncStats when scraped (never bumped on the hot path: the deltas since the last
 * scrape are added), the rarer facts are observed as their events arrive. So a scrape during a sync
 * sees it move, and after the sync every value equals the `--json-summary`.
 */
export class SyncMetrics {
  readonly registry = new Registry();
  readonly #live = new Map<string, LiveSync>();
  readonly #m;

  constructor(options: SyncMetricsOptions = {}) {
    this.#m = defineMetrics(this.registry);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The listener to pass as `runSync({ onEvent })` for this connection's sync. */
  watch(connection: string, next?: SyncEventListener): SyncEventListener {
    return (e: SyncEvent) => {
      this.#observe(connection, e);
      next?.(e);
    };
  }

  /** Counts the end of a sync: its status, duration and, when it succeeded, the last-success time. */
  finished(connection: string, outcome: SyncOutcome): void {
    const m = this.#m;
    m.syncs.inc({ connection, status: outcome.status });
    m.duration.observe({ connection, status: outcome.status }, outcome.durationMs / 1000);
    if (outcome.status === 'succeeded') m.lastSuccess.set({ connection }, outcome.endedAt / 1000);
    const f = outcome.failedBeforeAttempts;
    if (f) m.failures.inc({ connection, origin: f.origin, failure_type: f.failureType });
    if (outcome.process) {
      m.cpu.inc({ connection }, outcome.process.cpuSeconds);
      m.maxRss.set({ connection }, outcome.process.maxRssBytes);
    }
  }

  /** Sets the last-success time known from before this process (the state store remembers it). */
  lastSuccess(connection: string, at: number | undefined): void {
    if (at !== undefined) this.#m.lastSuccess.set({ connection }, at / 1000);
  }

  /** The breaker of a connection (`airdock serve`): 1 while open or half-open. */
  circuit(connection: string, state: 'closed' | 'open' | 'half_open'): void {
    this.#m.circuitOpen.set({ connection }, state === 'closed' ? 0 : 1);
  }

  /** The Prometheus text exposition, with running syncs' counters brought up to date. */
  async text(): Promise<string> {
    for (const [connection, live] of this.#live) this.#drain(connection, live);
    return this.registry.metrics();
  }

  #observe(connection: string, e: SyncEvent): void {
    const m = this.#m;
    switch (e.type) {
      case 'started': {
        const live = { stats: e.stats, seen: new Map<string, Seen>() };
        this.#live.set(connection, live);
        this.#drain(connection, live);
        return;
      }
      case 'ended': {
        const live = this.#live.get(connection);
        if (live) this.#drain(connection, live);
        this.#live.delete(connection);
        return;
      }
      case 'attempt-started': m.attempts.inc({ connection }); return;
      case 'attempt-failed': m.failures.inc({ connection, origin: e.origin, failure_type: e.failureType }); return;
      case 'connector-started': m.connectorStart.observe({ connection, side: e.side }, e.seconds); return;
      case 'state-committed':
        m.statesCommitted.inc({ connection });
        m.commitLag.observe({ connection }, e.lagSeconds);
    }
  }

  /** Adds what each stream counted since the last look (every series appears, at 0 if need be). */
  #drain(connection: string, live: LiveSync): void {
    const m = this.#m;
    for (const s of live.stats.streams.values()) {
      const seen = live.seen.get(s.key) ?? { re: 0, be: 0, rc: 0, bc: 0 };
      const labels = streamLabels(connection, s);
      m.recordsEmitted.inc(labels, s.recordsEmitted - seen.re);
      m.bytesEmitted.inc(labels, s.bytesEmitted - seen.be);
      m.recordsCommitted.inc(labels, s.recordsCommitted - seen.rc);
      m.bytesCommitted.inc(labels, s.bytesCommitted - seen.bc);
      live.seen.set(s.key, { re: s.recordsEmitted, be: s.bytesEmitted, rc: s.recordsCommitted, bc: s.bytesCommitted });
    }
  }
}

function streamLabels(connection: string, s: StreamStats): StreamLabels {
  return { connection, namespace: s.namespace ?? '', stream: s.name };
}

function defineMetrics(registers: Registry) {
  const r = [registers];
  const perStream = ['connection', 'namespace', 'stream'] as const;
  return {
    recordsEmitted: new Counter({ name: 'airdock_records_emitted_total', help: 'Records the source emitted (all attempts).', labelNames: perStream, registers: r }),
    bytesEmitted: new Counter({ name: 'airdock_bytes_emitted_total', help: 'Bytes of the records the source emitted (all attempts).', labelNames: perStream, registers: r }),
    recordsCommitted: new Counter({ name: 'airdock_records_committed_total', help: 'Records covered by a state the destination acknowledged.', labelNames: perStream, registers: r }),
    bytesCommitted: new Counter({ name: 'airdock_bytes_committed_total', help: 'Bytes of the committed records.', labelNames: perStream, registers: r }),
    statesCommitted: new Counter({ name: 'airdock_states_committed_total', help: 'States the destination acknowledged.', labelNames: ['connection'], registers: r }),
    attempts: new Counter({ name: 'airdock_sync_attempts_total', help: 'Sync attempts started.', labelNames: ['connection'], registers: r }),
    failures: new Counter({
      name: 'airdock_sync_failures_total', help: 'Failed attempts (and syncs that failed before their first attempt), by origin and failure type.',
      labelNames: ['connection', 'origin', 'failure_type'], registers: r,
    }),
    syncs: new Counter({ name: 'airdock_syncs_total', help: 'Syncs that ended, by status.', labelNames: ['connection', 'status'], registers: r }),
    duration: new Histogram({ name: 'airdock_sync_duration_seconds', help: 'How long syncs took, by status.', labelNames: ['connection', 'status'], buckets: DURATION_BUCKETS, registers: r }),
    lastSuccess: new Gauge({ name: 'airdock_last_success_timestamp_seconds', help: 'When the last successful sync ended (Unix time).', labelNames: ['connection'], registers: r }),
    connectorStart: new Histogram({
      name: 'airdock_connector_start_seconds', help: 'Time from launching a connector to its process or container running.',
      labelNames: ['connection', 'side'], buckets: START_BUCKETS, registers: r,
    }),
    cpu: new Counter({ name: 'airdock_process_cpu_seconds_total', help: 'CPU time of the airdock sync process (batch runs).', labelNames: ['connection'], registers: r }),
    maxRss: new Gauge({ name: 'airdock_process_max_resident_memory_bytes', help: 'Peak resident memory of the airdock sync process (batch runs).', labelNames: ['connection'], registers: r }),
    circuitOpen: new Gauge({ name: 'airdock_circuit_open', help: 'Whether the circuit breaker of the connection is open or half-open (1) or closed (0).', labelNames: ['connection'], registers: r }),
    commitLag: new Histogram({
      name: 'airdock_state_commit_lag_seconds', help: 'Time from the source emitting a state to the destination acknowledging it.',
      labelNames: ['connection'], buckets: LAG_BUCKETS, registers: r,
    }),
  };
}
