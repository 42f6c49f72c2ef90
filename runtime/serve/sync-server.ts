import { AbortedError, ServeLockedError, isAirdockError } from '../../protocol/index.js';
import { loadCircuit, runGuardedSync } from '../circuit/guarded-sync.js';
import type { CircuitRecord } from '../circuit/circuit-breaker.js';
import type { Runtime } from '../create-runtime.js';
import { SyncMetrics } from '../metrics/sync-metrics.js';
import { outcomeOfError, outcomeOfSummary } from '../metrics/sync-outcome.js';
import type { StateBackendConfig } from '../state/open-state-store.js';
import type { StateLock, StateStore } from '../state/state-store.js';
import type { Logger } from '../log/logger.js';
import type { Connection } from '../sync/connection-file.js';
import { Schedule } from './schedule.js';

/** The name under which a server locks each state store it uses (no connection may be called so). */
export const SERVE_LOCK = 'airdock-serve';

export interface SyncServerOptions {
  runtime: Runtime;
  connections: readonly Connection[];
  openStore: (config: StateBackendConfig) => Promise<StateStore>;
  /** Syncs running at once, all connections together. */
  maxConcurrent: number;
  /** At most this much random delay after each scheduled time. */
  jitterMs: number;
  /** On close: how long running syncs may go on before they are stopped (they commit what was acknowledged either way). */
  shutdownGraceMs: number;
  flushIntervalMs?: number;
  /** The logger of one connection's syncs (default `runtime.log.child(name)`); its connectors' loggers are its children. */
  logFor?: (connection: string) => Logger;
}

export interface LastRun {
  reason: 'schedule' | 'trigger';
  status: 'succeeded' | 'failed' | 'cancelled' | 'circuit_open';
  startedAt: string;
  endedAt: string;
  durationMs: number;
  recordsCommitted?: number;
  /** The error's code when it did not succeed. */
  error?: string;
}

/** What the store keeps of a connection's runs under `airdock serve`, for /connections and the metrics after a restart. */
interface RunsRecord {
  lastRun: LastRun;
  lastSuccessAt?: string;
}

export interface ConnectionStatus {
  name: string;
  schedule: string | null;
  status: 'idle' | 'queued' | 'running';
  runningSince: string | null;
  lastRun: LastRun | null;
  lastSuccessAt: string | null;
  nextRun: string | null;
  circuit: CircuitRecord | null;
}

interface Entry {
  connection: Connection;
  store: StateStore;
  schedule: Schedule | undefined;
  running?: { controller: AbortController; startedAt: Date; done: Promise<void> };
  queued?: LastRun['reason'];
  lastRun?: LastRun;
  /** ISO time the last successful sync ended (kept in the store: it outlives a restart). */
  lastSuccessAt?: string;
  nextRun?: Date;
  circuit?: CircuitRecord;
}

export type TriggerResult = 'started' | 'queued' | 'busy' | 'closing';

/**
 * `airdock serve`'s engine: runs each connection on its cron schedule and on request, never two syncs
 * of one connection at once, at most `maxConcurrent` in all (the rest wait in order). Each state store
 * it uses is locked for the server's life, so a second server on the same store refuses to start.
 * `close()` stops scheduling, gives running syncs `shutdownGraceMs` to finish, then stops them (each
 * still commits the state its destination acknowledged), and releases the locks.
 */
export class SyncServer implements AsyncDisposable {
  readonly metrics = new SyncMetrics({ processMetrics: true });
  readonly #o: SyncServerOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #stores: { store: StateStore; lock: StateLock }[];
  readonly #stop = new AbortController();
  readonly #queue: Entry[] = [];
  #active = 0;
  #closing: Promise<void> | undefined;

  private constructor(o: SyncServerOptions, stores: { store: StateStore; lock: StateLock }[]) {
    this.#o = o;
    this.#stores = stores;
  }

  /** Opens and locks every state store the connections use, then starts their schedules. */
  static async start(o: SyncServerOptions): Promise<SyncServer> {
    const byConfig = new Map<string, { store: StateStore; lock: StateLock }>();
    const storeOf = new Map<string, StateStore>();
    try {
      for (const c of o.connections) {
        const key = JSON.stringify(c.state);
        let held = byConfig.get(key);
        if (!held) {
          const store = await o.openStore(c.state);
          let lock: StateLock;
          try {
            lock = await store.lock(SERVE_LOCK, 'serve');
          } catch (err) {
            await store.close();
            if (isAirdockError(err) && err.code === 'AIRDOCK_STATE_LOCKED') {
              throw new ServeLockedError('Another airdock serve uses this state store', { cause: err, context: { store: store.describe, ...pick(err.context) } });
            }
            throw err;
          }
          held = { store, lock };
          byConfig.set(key, held);
        }
        storeOf.set(c.name, held.store);
      }
    } catch (err) {
      for (const h of byConfig.values()) await release(h);
      throw err;
    }
    const server = new SyncServer(o, [...byConfig.values()]);
    for (const c of o.connections) {
      const entry: Entry = { connection: c, store: storeOf.get(c.name)!, schedule: c.schedule ? new Schedule(c.schedule) : undefined };
      server.#entries.set(c.name, entry);
      entry.circuit = await loadCircuit(entry.store, c.name).catch(() => undefined);
      server.#publishCircuit(entry);
      const runs = (await entry.store.loadRecord(c.name, 'runs').catch(() => undefined)) as RunsRecord | undefined;
      if (runs?.lastRun) entry.lastRun = runs.lastRun;
      if (runs?.lastSuccessAt) {
        entry.lastSuccessAt = runs.lastSuccessAt;
        server.metrics.lastSuccess(c.name, Date.parse(runs.lastSuccessAt));
      }
    }
    for (const e of server.#entries.values()) if (e.schedule) void server.#scheduleLoop(e);
    return server;
  }

  get closing(): boolean {
    return this.#stop.signal.aborted;
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  list(): ConnectionStatus[] {
    return [...this.#entries.values()].map((e) => ({
      name: e.connection.name,
      schedule: e.connection.schedule ?? null,
      status: e.running ? 'running' : e.queued ? 'queued' : 'idle',
      runningSince: e.running?.startedAt.toISOString() ?? null,
      lastRun: e.lastRun ?? null,
      lastSuccessAt: e.lastSuccessAt ?? null,
      nextRun: e.nextRun?.toISOString() ?? null,
      circuit: e.connection.circuitBreaker ? e.circuit ?? null : null,
    }));
  }

  /** Starts (or queues) a sync now; 'busy' when that connection is already running or queued. */
  trigger(name: string, reason: LastRun['reason'] = 'trigger'): TriggerResult {
    const e = this.#entries.get(name);
    if (!e) throw new Error(`unknown connection ${name}`);
    if (this.closing) return 'closing';
    if (e.running || e.queued) return 'busy';
    if (this.#active < this.#o.maxConcurrent) {
      this.#start(e, reason);
      return 'started';
    }
    e.queued = reason;
    this.#queue.push(e);
    return 'queued';
  }

  /** Stops a running sync (it commits what was acknowledged) or drops a queued one; false when neither. */
  cancel(name: string): boolean {
    const e = this.#entries.get(name);
    if (!e) throw new Error(`unknown connection ${name}`);
    if (e.queued) {
      this.#queue.splice(this.#queue.indexOf(e), 1);
      e.queued = undefined;
      return true;
    }
    if (!e.running) return false;
    e.running.controller.abort(new AbortedError('The sync was cancelled', { context: { connection: name } }));
    return true;
  }

  /** Whether every state store takes a write (for /readyz). */
  async ready(): Promise<boolean> {
    if (this.closing) return false;
    // A write, not a read: a store that can be read but not written cannot commit state either.
    const checks = await Promise.allSettled(this.#stores.map((h) => h.store.saveRecord(SERVE_LOCK, 'ready', { at: new Date().toISOString(), pid: process.pid })));
    return checks.every((c) => c.status === 'fulfilled');
  }

  close(): Promise<void> {
    this.#closing ??= this.#drain();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #drain(): Promise<void> {
    const log = this.#o.runtime.log;
    this.#stop.abort();
    for (const e of this.#queue.splice(0)) e.queued = undefined;
    const running = () => [...this.#entries.values()].filter((e) => e.running);
    if (running().length > 0) {
      log.info(`stopping: waiting up to ${this.#o.shutdownGraceMs} ms for ${running().length} running sync(s)`);
      await Promise.race([Promise.all(running().map((e) => e.running!.done)), new Promise((r) => setTimeout(r, this.#o.shutdownGraceMs).unref())]);
      for (const e of running()) {
        log.warn(`stopping the sync of ${e.connection.name}: acknowledged state is committed`);
        e.running!.controller.abort(new AbortedError('The server is shutting down', { context: { connection: e.connection.name } }));
      }
      await Promise.all(running().map((e) => e.running!.done));
    }
    for (const h of this.#stores) await release(h);
  }

  async #scheduleLoop(e: Entry): Promise<void> {
    const log = this.#o.runtime.log;
    while (!this.closing) {
      const at = await e.schedule!.wait(this.#o.jitterMs, this.#stop.signal, (t) => { e.nextRun = t; });
      if (!at) break;
      if (this.trigger(e.connection.name, 'schedule') === 'busy') log.warn(`${e.connection.name}: its schedule fired while the previous sync is still running or queued; skipped`);
    }
    e.nextRun = undefined;
  }

  #start(e: Entry, reason: LastRun['reason']): void {
    this.#active++;
    const controller = new AbortController();
    const startedAt = new Date();
    const done = this.#runOnce(e, reason, controller.signal, startedAt).finally(() => {
      e.running = undefined;
      this.#active--;
      this.#next();
    });
    e.running = { controller, startedAt, done };
  }

  #next(): void {
    while (!this.closing && this.#active < this.#o.maxConcurrent && this.#queue.length > 0) {
      const e = this.#queue.shift()!;
      const reason = e.queued!;
      e.queued = undefined;
      this.#start(e, reason);
    }
  }

  async #runOnce(e: Entry, reason: LastRun['reason'], signal: AbortSignal, startedAt: Date): Promise<void> {
    const name = e.connection.name;
    const log = this.#o.logFor?.(name) ?? this.#o.runtime.log.child(name);
    const end = (status: LastRun['status'], extra: Partial<LastRun> = {}) => {
      const endedAt = new Date();
      e.lastRun = { reason, status, startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(), durationMs: endedAt.getTime() - startedAt.getTime(), ...extra };
      if (status === 'succeeded') e.lastSuccessAt = e.lastRun.endedAt;
    };
    log.info(`sync started (${reason})`);
    try {
      const { summary, error } = await runGuardedSync({
        runtime: { ...this.#o.runtime, log }, connection: e.connection, store: e.store, signal,
        onEvent: this.metrics.watch(name),
        ...(this.#o.flushIntervalMs ? { flushIntervalMs: this.#o.flushIntervalMs } : {}),
      });
      // The summary's process figures are the whole server's: process_* metrics say those.
      const { process: _shared, ...outcome } = outcomeOfSummary(summary);
      this.metrics.finished(name, outcome);
      end(summary.status, { recordsCommitted: summary.recordsCommitted, ...(error ? { error: codeOf(error) } : {}) });
      if (error) log.error(isAirdockError(error) ? error.describe() : String(error));
    } catch (err) {
      if (isAirdockError(err) && err.code === 'AIRDOCK_CIRCUIT_OPEN') {
        end('circuit_open', { error: err.code });
        log.warn(err.describe());
      } else {
        this.metrics.finished(name, outcomeOfError(err, startedAt.getTime()));
        end(signal.aborted ? 'cancelled' : 'failed', { error: codeOf(err) });
        log.error(isAirdockError(err) ? err.describe() : `unexpected failure: ${(err as Error).message}`);
      }
    }
    if (e.connection.circuitBreaker) {
      e.circuit = await loadCircuit(e.store, name).catch(() => e.circuit);
      this.#publishCircuit(e);
    }
    const runs: RunsRecord = { lastRun: e.lastRun!, ...(e.lastSuccessAt ? { lastSuccessAt: e.lastSuccessAt } : {}) };
    await e.store.saveRecord(name, 'runs', runs).catch((err: unknown) => log.warn(`the last run could not be saved: ${(err as Error).message}`));
    log.info(`sync ${e.lastRun!.status}`);
  }

  #publishCircuit(e: Entry): void {
    if (e.connection.circuitBreaker) this.metrics.circuit(e.connection.name, e.circuit?.state ?? 'closed');
  }
}

async function release(h: { store: StateStore; lock: StateLock }): Promise<void> {
  await h.lock.release().catch(() => {});
  await h.store.close().catch(() => {});
}

function codeOf(err: unknown): string {
  return isAirdockError(err) ? err.code : 'AIRDOCK_INTERNAL';
}

function pick(c: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { pid: c.pid, host: c.host, since: c.since };
}
