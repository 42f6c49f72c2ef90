import {
  LineSplitter, classifyLine, encodeMessage, streamKey,
  type AirbyteMessage, type AirbyteStateMessage, type AirbyteTraceMessage, type ConfiguredAirbyteCatalog, type FailureType,
} from '../../protocol/index.js';
import { buildJob } from '../launcher/argv.js';
import type { Backend, ConnectorProcess, ExitStatus, LaunchTarget } from '../launcher/backend.js';
import { TailBuffer } from '../launcher/tail-buffer.js';
import { levelOfAirbyte, type Logger } from '../log/logger.js';
import type { NamespaceMapper } from './namespace-mapper.js';
import type { StateTracker } from './state-tracker.js';
import type { StreamStats, SyncStats } from './sync-stats.js';

export interface Side {
  backend: Backend;
  target: LaunchTarget;
  name: string;
  config: unknown;
}

export interface AttemptOptions {
  runId: string;
  source: Side;
  destination: Side;
  sourceCatalog: ConfiguredAirbyteCatalog;
  destinationCatalog: ConfiguredAirbyteCatalog;
  /** The `--state` value, or undefined for no flag. */
  state: unknown;
  tracker: StateTracker;
  stats: SyncStats;
  mapper: NamespaceMapper;
  log: Logger;
  signal: AbortSignal;
  sourceIdleTimeoutMs: number;
  destinationGraceMs: number;
  /** Bytes gathered before one write to the destination. */
  batchBytes?: number;
}

export interface AttemptFailure {
  origin: 'source' | 'destination' | 'runtime';
  failureType: FailureType;
  message: string;
  retryable: boolean;
  lastLogLines: string[];
  at: number;
}

export interface AttemptResult {
  status: 'succeeded' | 'failed' | 'aborted';
  failures: AttemptFailure[];
}

const NL = Buffer.from('\n');

/**
 * One attempt: destination first, then source; source RECORD lines go to the destination's stdin as
 * their original bytes (spliced only when namespace/prefix mapping changes them), gathered into
 * batches, written with backpressure: when `write()` returns false the source's stdout is paused
 * until 'drain', so a slow destination slows the source and memory stays bounded. STATE lines are
 * enriched (id, recordCount) and forwarded in order; destination echoes are acknowledged.
 */
export async function runAttempt(o: AttemptOptions): Promise<AttemptResult> {
  const failures: AttemptFailure[] = [];
  const srcLog = o.log.child('source');
  const dstLog = o.log.child('destination');
  const srcTail = new TailBuffer(20);
  const dstTail = new TailBuffer(20);
  const fail = (f: Omit<AttemptFailure, 'at' | 'lastLogLines'>) => {
    failures.push({ ...f, at: Date.now(), lastLogLines: (f.origin === 'destination' ? dstTail : srcTail).last(10) });
  };

  const dJob = buildJob('write', o.destination.backend.jobDir(`${o.runId}-dst`), { config: o.destination.config, catalog: o.destinationCatalog });
  const dest = await o.destination.backend.start(o.destination.target, {
    argv: dJob.argv, files: dJob.files, stdin: true, runId: `${o.runId}-dst`, connectorName: o.destination.name, log: dstLog,
  });
  let src: ConnectorProcess;
  try {
    const sJob = buildJob('read', o.source.backend.jobDir(`${o.runId}-src`), { config: o.source.config, catalog: o.sourceCatalog, ...(o.state === undefined ? {} : { state: o.state }) });
    src = await o.source.backend.start(o.source.target, {
      argv: sJob.argv, files: sJob.files, stdin: false, runId: `${o.runId}-src`, connectorName: o.source.name, log: srcLog,
    });
  } catch (err) {
    await dest.terminate(1000);
    throw err;
  }

  const stdin = dest.stdin;
  const batchBytes = o.batchBytes ?? 64 * 1024;
  let batch: Buffer[] = [];
  let batchLen = 0;
  let paused = false;
  let stdinClosed = false;
  let lastActivity = Date.now();
  let sourceDone = false;
  let destinationExited = false;
  let aborted = false;
  let srcLine = 0;
  let lastRecordStream = '';
  let lastRecordNs: string | undefined;
  let lastStats: StreamStats | undefined;
  let sourceTraceError: AirbyteTraceMessage | undefined;
  let destTraceError: AirbyteTraceMessage | undefined;

  const flush = () => {
    if (batchLen === 0 || stdinClosed) return;
    const buf = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batchLen);
    batch = [];
    batchLen = 0;
    if (!stdin.write(buf) && !paused) {
      paused = true;
      src.stdout.pause();
      stdin.once('drain', () => {
        paused = false;
        lastActivity = Date.now();
        if (!sourceDone) src.stdout.resume();
      });
    }
  };
  const push = (b: Buffer) => {
    batch.push(b, NL);
    batchLen += b.length + 1;
    if (batchLen >= batchBytes) flush();
  };

  const onSourceLine = (raw: Buffer) => {
    const d = classifyLine(raw, ++srcLine, { validate: 'envelope' });
    if (d.kind === 'message' && d.record) {
      const env = d.record;
      if (env.stream !== lastRecordStream || env.namespace !== lastRecordNs || !lastStats) {
        lastRecordStream = env.stream;
        lastRecordNs = env.namespace;
        lastStats = o.stats.get(streamKey(env.namespace === undefined ? { name: env.stream } : { name: env.stream, namespace: env.namespace }));
        if (lastStats.status === 'pending') lastStats.status = 'RUNNING';
      }
      lastStats.recordsEmitted++;
      lastStats.bytesEmitted += raw.length;
      o.tracker.record(lastStats);
      // The line is a view into the chunk: copy it when it is kept past this chunk (Buffer.concat does).
      push(o.mapper.identity ? raw : o.mapper.mapRecord(raw, env));
      return;
    }
    if (d.kind === 'noise') {
      if (d.raw.length > 0) srcLog.info(truncate(d.raw.toString('utf8')));
      return;
    }
    if (d.kind === 'invalid') {
      srcLog.warn(`dropped an invalid ${d.type} message (line ${d.line}): ${d.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
      return;
    }
    handleSourceMessage(d.message);
  };

  const handleSourceMessage = (m: AirbyteMessage) => {
    switch (m.type) {
      case 'STATE': {
        const state = o.tracker.sourceState(m.state as AirbyteStateMessage);
        const mapped = mapStateForDestination(state, o.mapper);
        push(Buffer.from(encodeMessage({ type: 'STATE', state: mapped }).slice(0, -1)));
        // States are rare and carry the commit: do not let them wait for a full batch.
        flush();
        return;
      }
      case 'LOG':
        if (m.log) {
          srcLog.log(levelOfAirbyte(m.log.level), m.log.message);
          srcTail.push(m.log.message);
        }
        return;
      case 'TRACE':
        onTrace(m.trace, 'source');
        return;
      case 'CONTROL':
        srcLog.warn('the source sent a config update (CONTROL); airdock does not rewrite connection files, update it yourself');
        return;
      default:
        srcLog.debug(`ignored a ${m.type} message`);
    }
  };

  const onTrace = (t: AirbyteTraceMessage | undefined, origin: 'source' | 'destination') => {
    if (!t) return;
    const log = origin === 'source' ? srcLog : dstLog;
    if (t.type === 'ERROR' && t.error) {
      log.error(t.error.message);
      (origin === 'source' ? srcTail : dstTail).push(t.error.message);
      if (origin === 'source') sourceTraceError ??= t;
      else destTraceError ??= t;
    } else if (t.type === 'STREAM_STATUS' && t.stream_status && origin === 'source') {
      const s = o.stats.get(streamKey(t.stream_status.stream_descriptor));
      s.status = t.stream_status.status;
    } else if (t.type === 'ESTIMATE' && t.estimate && origin === 'source') {
      const s = o.stats.of(t.estimate.name, t.estimate.namespace ?? undefined);
      if (typeof t.estimate.row_estimate === 'number') s.rowEstimate = t.estimate.row_estimate;
      if (typeof t.estimate.byte_estimate === 'number') s.byteEstimate = t.estimate.byte_estimate;
    }
  };

  // Destination output: echoes and logs.
  let dstLine = 0;
  const onDestLine = (raw: Buffer) => {
    const d = classifyLine(raw, ++dstLine, { validate: 'envelope' });
    if (d.kind === 'noise') {
      if (d.raw.length > 0) dstLog.info(truncate(d.raw.toString('utf8')));
      return;
    }
    if (d.kind === 'invalid') {
      dstLog.warn(`dropped an invalid ${d.type} message (line ${d.line})`);
      return;
    }
    const m = d.message;
    if (m.type === 'STATE' && m.state) o.tracker.ack(m.state, (x) => o.mapper.unmap(x));
    else if (m.type === 'LOG' && m.log) {
      dstLog.log(levelOfAirbyte(m.log.level), m.log.message);
      dstTail.push(m.log.message);
    } else if (m.type === 'TRACE') onTrace(m.trace, 'destination');
  };

  const pumpStderr = (stream: NodeJS.ReadableStream, log: Logger, tail: TailBuffer) => new Promise<void>((resolve) => {
    const s = new LineSplitter({ maxLineBytes: 1 << 20 });
    const onLine = (l: Buffer) => {
      const text = truncate(l.toString('utf8'));
      tail.push(text);
      log.info(text);
    };
    stream.on('data', (c: Buffer) => { try { s.push(c, onLine); } catch { /* an absurd stderr line is not worth failing for */ } });
    stream.on('end', () => { s.end(onLine); resolve(); });
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
  });

  const srcStdout = new Promise<void>((resolve) => {
    const splitter = new LineSplitter();
    src.stdout.on('data', (chunk: Buffer) => {
      lastActivity = Date.now();
      try {
        splitter.push(chunk, onSourceLine);
      } catch (err) {
        fail({ origin: 'source', failureType: 'system_error', retryable: false, message: (err as Error).message });
        void src.terminate(2000);
      }
      // One write per chunk read (a pipe delivers up to 64 KiB), or sooner when a batch fills up.
      if (batchLen > 0) flush();
    });
    src.stdout.on('end', () => {
      try { splitter.end(onSourceLine); } catch { /* the line limit was reported already */ }
      resolve();
    });
    src.stdout.on('close', () => resolve());
    src.stdout.on('error', () => resolve());
  });
  const dstStdout = new Promise<void>((resolve) => {
    const splitter = new LineSplitter();
    dest.stdout.on('data', (chunk: Buffer) => { try { splitter.push(chunk, onDestLine); } catch { /* logged as noise */ } });
    dest.stdout.on('end', () => { splitter.end(onDestLine); resolve(); });
    dest.stdout.on('close', () => resolve());
    dest.stdout.on('error', () => resolve());
  });
  const srcErr = pumpStderr(src.stderr, srcLog, srcTail);
  const dstErr = pumpStderr(dest.stderr, dstLog, dstTail);

  const onAbort = () => {
    aborted = true;
    srcLog.warn('interrupted: stopping the source, letting the destination finish what it has');
    void src.terminate(5000);
  };
  if (o.signal.aborted) onAbort();
  else o.signal.addEventListener('abort', onAbort, { once: true });

  let idleFailed = false;
  const idleTimer = setInterval(() => {
    if (sourceDone || paused || idleFailed) return;
    if (Date.now() - lastActivity > o.sourceIdleTimeoutMs) {
      idleFailed = true;
      fail({ origin: 'source', failureType: 'transient_error', retryable: true, message: `The source sent nothing for ${Math.round(o.sourceIdleTimeoutMs / 1000)} s` });
      void src.terminate(2000);
    }
  }, Math.min(1000, Math.max(50, o.sourceIdleTimeoutMs / 4)));
  idleTimer.unref();

  // A destination that dies early must stop the source, or a paused source waits forever.
  const destExit: Promise<ExitStatus> = dest.wait().then((st) => {
    destinationExited = true;
    if (!sourceDone) void src.terminate(2000);
    return st;
  });

  const [srcStatus] = await Promise.all([src.wait(), srcStdout, srcErr]);
  sourceDone = true;
  clearInterval(idleTimer);
  o.signal.removeEventListener('abort', onAbort);
  flush();
  stdinClosed = true;
  stdin.end();

  // Let the destination finish what it has (the platform gives 60 s), then stop it.
  let graceTimer: NodeJS.Timeout | undefined;
  const graceExpired = new Promise<'timeout'>((r) => { graceTimer = setTimeout(() => r('timeout'), o.destinationGraceMs); });
  const first = await Promise.race([destExit, graceExpired]);
  clearTimeout(graceTimer);
  let destTimedOut = false;
  if (first === 'timeout') {
    destTimedOut = true;
    dstLog.warn(`the destination did not finish within ${Math.round(o.destinationGraceMs / 1000)} s after its input ended; stopping it`);
    await dest.terminate(5000);
  }
  const dstStatus = await destExit;
  await Promise.all([dstStdout, dstErr]);

  // Classify what happened, source first (the platform orders failures by time; ours are pushed in order).
  const srcStoppedByUs = srcStatus.terminated === true;
  if (sourceTraceError?.error) {
    fail({ origin: 'source', failureType: sourceTraceError.error.failure_type ?? 'system_error', retryable: sourceTraceError.error.failure_type === 'transient_error', message: sourceTraceError.error.message });
  } else if (!aborted && !idleFailed && !srcStoppedByUs && srcStatus.code !== 0) {
    fail({ origin: 'source', failureType: 'transient_error', retryable: true, message: `The source exited with ${describeExit(srcStatus)} without reporting an error` });
  }
  if (destTraceError?.error) {
    fail({ origin: 'destination', failureType: destTraceError.error.failure_type ?? 'system_error', retryable: destTraceError.error.failure_type === 'transient_error', message: destTraceError.error.message });
  } else if (destTimedOut) {
    fail({ origin: 'destination', failureType: 'transient_error', retryable: true, message: 'The destination did not finish after its input ended' });
  } else if (dstStatus.code !== 0 && !(aborted && dstStatus.terminated)) {
    fail({ origin: 'destination', failureType: 'transient_error', retryable: true, message: `The destination exited with ${describeExit(dstStatus)} without reporting an error` });
  } else if (destinationExited && srcStoppedByUs && !aborted && !idleFailed && failures.length === 0) {
    fail({ origin: 'destination', failureType: 'transient_error', retryable: true, message: 'The destination exited before the source finished' });
  }
  await Promise.allSettled([src.terminate(1000), dest.terminate(1000)]);
  failures.sort((a, b) => a.at - b.at);
  if (aborted) return { status: 'aborted', failures };
  return { status: failures.length === 0 ? 'succeeded' : 'failed', failures };
}

function mapStateForDestination(state: AirbyteStateMessage, mapper: NamespaceMapper): AirbyteStateMessage {
  if (mapper.identity || state.type !== 'STREAM' || !state.stream) return state;
  return { ...state, stream: { ...state.stream, stream_descriptor: mapper.map(state.stream.stream_descriptor) } };
}

function describeExit(s: ExitStatus): string {
  if (s.oomKilled) return 'an out-of-memory kill';
  return s.code === null ? `signal ${s.signal ?? 'unknown'}` : `code ${s.code}`;
}

function truncate(s: string): string {
  return s.length > 2000 ? `${s.slice(0, 2000)}… (${s.length} chars)` : s;
}
