import { resolve } from 'node:path';
import { environment, loadOptions } from '../../runtime/options.js';
import { Logger } from '../../runtime/log/logger.js';
import { reportError } from '../report-error.js';
import { openStateStore } from '../../runtime/state/open-state-store.js';
import { loadConnection } from '../../runtime/sync/connection-file.js';
import { progressListener } from './progress.js';
import { runSync } from '../../runtime/sync/run-sync.js';
import { createRuntime } from '../../runtime/create-runtime.js';
import { cliRedactor } from '../cli-redactor.js';

/**
 * The `airdock sync` action. SIGINT/SIGTERM abort the run: the source is stopped, the destination
 * finishes what it has, acknowledged state is committed, everything is stopped, exit 130. A second
 * signal does not skip that: the processes are already being stopped with a bounded grace period.
 */
export async function syncCommand(file: string, flags: { jsonSummary?: boolean; fullRefresh?: boolean; stateDir?: string }): Promise<number> {
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
  try {
    const connection = await loadConnection(file, environment());
    // The state store's URL may carry a password too.
    cliRedactor.addConfig(connection.source.config).addConfig(connection.destination.config).addConfig(connection.state);
    const store = await openStateStore(connection.state, { home: options.home, ...(flags.stateDir ? { stateDir: resolve(flags.stateDir) } : {}) });
    const progress = await progressListener({ tty: process.stderr.isTTY === true, log, setLogSink: (s) => { sink = s; } });
    try {
      const { summary, error } = await runSync({
        runtime: createRuntime({ options, log, redactor: cliRedactor }), connection, store, signal: controller.signal,
        fullRefresh: flags.fullRefresh === true,
        onEvent: progress.onEvent,
        ...(options.stateFlushMs ? { flushIntervalMs: options.stateFlushMs } : {}),
      });
      if (flags.jsonSummary) process.stdout.write(`${JSON.stringify(summary)}\n`);
      return error === undefined ? 0 : reportError(error);
    } finally {
      progress.stop();
      await store.close();
    }
  } catch (err) {
    if (controller.signal.aborted) {
      process.stderr.write('error AIRDOCK_ABORTED: The sync was interrupted before it started\n');
      return 130;
    }
    return reportError(err);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
