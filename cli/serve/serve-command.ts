import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigFileError, UsageError, isAirdockError } from '../../protocol/index.js';
import { createRuntime } from '../../runtime/create-runtime.js';
import { Logger } from '../../runtime/log/logger.js';
import { environment, loadOptions } from '../../runtime/options.js';
import { listenServeHttp } from '../../runtime/serve/serve-http.js';
import { SERVE_LOCK, SyncServer } from '../../runtime/serve/sync-server.js';
import { openStateStore } from '../../runtime/state/open-state-store.js';
import { loadConnection, type Connection } from '../../runtime/sync/connection-file.js';
import { cliRedactor } from '../cli-redactor.js';
import type { ServeFlags } from '../commands/serve.js';
import { reportError } from '../report-error.js';

/**
 * `airdock serve`: loads the connection files (a file that cannot be loaded is reported and left out,
 * so one broken file does not take the others down), starts the scheduler and the HTTP server, and
 * runs until SIGTERM or SIGINT: then it stops scheduling, lets running syncs finish within
 * --shutdown-grace, stops the rest (acknowledged state is committed), and exits 0.
 */
export async function serveCommand(paths: string[], flags: ServeFlags): Promise<number> {
  const options = loadOptions();
  const log = new Logger({ level: options.logLevel, redact: cliRedactor.redact });
  const token = process.env.AIRDOCK_SERVE_TOKEN || undefined;
  if (token) cliRedactor.add(token);
  let stopRequested: (sig: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((r) => { stopRequested = r; });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals > 1) log.warn('already stopping: running syncs are committing their acknowledged state');
    stopRequested(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const connections = await loadAll(paths.length > 0 ? paths : ['.'], log);
    const sync = await SyncServer.start({
      runtime: createRuntime({ options, log, redactor: cliRedactor }), connections,
      openStore: (state) => openStateStore(state, { home: options.home, ...(flags.stateDir ? { stateDir: resolve(flags.stateDir) } : {}) }),
      maxConcurrent: flags.maxConcurrent, jitterMs: flags.jitter * 1000, shutdownGraceMs: flags.shutdownGrace * 1000,
      ...(options.stateFlushMs ? { flushIntervalMs: options.stateFlushMs } : {}),
      // Every line of a sync, its connectors' included, starts with the connection's name.
      logFor: (name) => new Logger({ level: options.logLevel, redact: cliRedactor.redact, write: (line) => process.stderr.write(`[${name}] ${line}`) }),
    });
    try {
      await using http = await listenServeHttp(sync, { host: flags.host, port: flags.port, ...(token ? { token } : {}), log });
      const scheduled = connections.filter((c) => c.schedule).length;
      log.info(`serving ${connections.length} connection(s), ${scheduled} scheduled, on ${http.url}${token ? '' : ' (no AIRDOCK_SERVE_TOKEN: POST routes are open to whoever reaches this address)'}`);
      const sig = await stopped;
      log.info(`${sig}: stopping`);
      await sync.close();
    } finally {
      await sync.close();
    }
    log.info('stopped');
    return 0;
  } catch (err) {
    return reportError(err);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function loadAll(paths: string[], log: Logger): Promise<Connection[]> {
  const files: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch((err: unknown) => {
      throw new ConfigFileError('The connection file or folder does not exist', { cause: err, context: { path: p } });
    });
    if (s.isDirectory()) files.push(...(await readdir(p)).filter((f) => /\.ya?ml$/i.test(f)).sort().map((f) => join(p, f)));
    else files.push(p);
  }
  const byName = new Map<string, Connection>();
  for (const file of files) {
    try {
      const c = await loadConnection(file, environment());
      cliRedactor.addConfig(c.source.config).addConfig(c.destination.config).addConfig(c.state);
      if (c.name === SERVE_LOCK) throw new UsageError('This connection name is reserved for the server', { context: { path: file, name: c.name } });
      const other = byName.get(c.name);
      if (other) throw new UsageError('Two connection files have the same name', { context: { name: c.name, path: file, other: other.path } });
      byName.set(c.name, c);
    } catch (err) {
      log.error(`${file} is left out: ${describe(err)}`);
    }
  }
  if (byName.size === 0) throw new UsageError('No connection file could be loaded', { context: { paths: paths.join(' ') } });
  return [...byName.values()];
}

function describe(err: unknown): string {
  return isAirdockError(err) ? err.describe() : `AIRDOCK_INTERNAL: ${(err as Error).message}`;
}
