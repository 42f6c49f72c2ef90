import { writeJson } from '../format/write-json.js';
import { resolve } from 'node:path';
import { environment, loadOptions } from '../../runtime/options.js';
import { Logger } from '../../runtime/log/logger.js';
import { reportError } from '../report-error.js';
import { openStateStore } from '../../runtime/state/open-state-store.js';
import { loadConnection, type Connection } from '../../runtime/sync/connection-file.js';
import { progressListener } from './progress.js';
import type { RunSyncResult } from '../../runtime/sync/run-sync.js';
import { runGuardedSync } from '../../runtime/circuit/guarded-sync.js';
import { createRuntime } from '../../runtime/create-runtime.js';
import type { SyncEventListener } from '../../runtime/sync/sync-events.js';
import { cliRedactor } from '../cli-redactor.js';
import { MetricsOutlet } from './metrics-outlet.js';

export interface SyncFlags {
  jsonSummary?: boolean;
  fullRefresh?: boolean;
  stateDir?: string;
  metricsFile?: string;
  metricsPush?: string;
  backend?: 'docker' | 'kubernetes';
}

/**
 * The `airdock sync` action. SIGINT/SIGTERM abort the run: the source is stopped, the destination
 * finishes what it has, acknowledged state is committed, everything is stopped, exit 130. A second
 * signal does not skip that: the processes are already being stopped with a bounded grace period.
 */
export async function syncCommand(file: string, flags: SyncFlags): Promise<number> {
  const options = loadOptions();
  let sink: ((line: string) => void) | undefined;
  const log = new Logger({ level: options.logLevel, redact: cliRedactor.redact, write: (line) => (sink ? sink(line) : process.stderr.write(line)) });
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) log.warn(`${sig}: stopping the sync (acknowledged state will be committed)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outlet: MetricsOutlet | undefined;
  try {
    const connection = await loadConnection(file, environment());
    if (flags.backend) { connection.source.backend = flags.backend; connection.destination.backend = flags.backend; }
    // The state store's URL may carry a password too.
    cliRedactor.addConfig(connection.source.config).addConfig(connection.destination.config).addConfig(connection.state);
    outlet = await MetricsOutlet.open(connection.name, flags);
    const progress = await progressListener({ tty: process.stderr.isTTY === true, log, setLogSink: (s) => { sink = s; } });
    let result: RunSyncResult;
    try {
      result = await syncOnce(connection, flags, { log, signal: controller.signal, onEvent: outlet ? outlet.watch(progress.onEvent) : progress.onEvent });
    } finally {
      progress.stop();
    }
    if (flags.jsonSummary) await writeJson(result.summary);
    const code = result.error === undefined ? 0 : reportError(result.error);
    // Metrics that cannot be written fail an otherwise good run: an unattended job must not go quiet.
    const metricsCode = await outlet?.finished(result.summary).then(() => 0, (e: unknown) => reportError(e));
    return code === 0 ? metricsCode ?? 0 : code;
  } catch (err) {
    // A sync that failed before its first attempt is still a failed sync to whoever watches the metrics.
    if (outlet) await outlet.failed(err).catch((e: unknown) => reportError(e));
    if (!controller.signal.aborted) return reportError(err);
    process.stderr.write('error AIRDOCK_ABORTED: The sync was interrupted before it started\n');
    return 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function syncOnce(connection: Connection, flags: SyncFlags, o: { log: Logger; signal: AbortSignal; onEvent: SyncEventListener }): Promise<RunSyncResult> {
  const options = loadOptions();
  const store = await openStateStore(connection.state, { home: options.home, ...(flags.stateDir ? { stateDir: resolve(flags.stateDir) } : {}) });
  try {
    return await runGuardedSync({
      runtime: createRuntime({ options, log: o.log, redactor: cliRedactor }), connection, store, signal: o.signal,
      fullRefresh: flags.fullRefresh === true,
      onEvent: o.onEvent,
      ...(options.stateFlushMs ? { flushIntervalMs: options.stateFlushMs } : {}),
    });
  } finally {
    await store.close();
  }
}
