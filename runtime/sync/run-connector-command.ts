import {
  ConnectorExitError, ConnectorFailedError, LineSplitter, MissingOutputError, classifyLine,
  type AirbyteCatalog, type AirbyteMessage,
} from '../../protocol/index.js';
import { buildJob } from '../launcher/argv.js';
import type { Backend, LaunchTarget } from '../launcher/backend.js';
import { TailBuffer } from '../launcher/tail-buffer.js';
import { levelOfAirbyte, type Logger } from '../log/logger.js';

/**
 * Runs `discover` and returns the first CATALOG (the result comes from messages, not the exit code,
 * as on the platform). Kept small on purpose: the sync only needs the catalog to derive settings.
 */
export async function discoverCatalog(backend: Backend, target: LaunchTarget, config: unknown, options: { runId: string; connectorName: string; log: Logger; signal?: AbortSignal }): Promise<AirbyteCatalog> {
  const { argv, files } = buildJob('discover', backend.jobDir(options.runId), { config });
  const proc = await backend.start(target, { argv, files, stdin: false, runId: options.runId, connectorName: options.connectorName, log: options.log, ...(options.signal ? { signal: options.signal } : {}) });
  await using _p = proc;
  let catalog: AirbyteCatalog | undefined;
  let error: AirbyteMessage['trace'] | undefined;
  const tail = new TailBuffer(20);
  const splitter = new LineSplitter();
  let n = 0;
  const onLine = (raw: Buffer) => {
    const d = classifyLine(raw, ++n);
    if (d.kind !== 'message') return;
    if (d.type === 'CATALOG' && !catalog) catalog = d.message.catalog;
    else if (d.type === 'TRACE' && d.message.trace?.type === 'ERROR') error ??= d.message.trace;
    else if (d.type === 'LOG' && d.message.log) options.log.log(levelOfAirbyte(d.message.log.level), d.message.log.message);
  };
  const out = (async () => { for await (const c of proc.stdout) splitter.push(c as Buffer, onLine); splitter.end(onLine); })();
  const err = (async () => { const s = new LineSplitter(); for await (const c of proc.stderr) s.push(c as Buffer, (l) => tail.push(l.toString('utf8'))); })();
  const [status] = await Promise.all([proc.wait(), out, err]);
  if (catalog) return catalog;
  const context = { command: 'discover', connector: options.connectorName, exitCode: status.code, stderrTail: tail.last(5).join(' | ') };
  if (error?.error) throw new ConnectorFailedError(error.error.message, error.error.failure_type, { context });
  if (status.code !== 0) throw new ConnectorExitError('The connector exited without a catalog', { context });
  throw new MissingOutputError('The connector exited successfully without a catalog', { context });
}
