import {
  ConnectorExitError, ConnectorFailedError, ConnectorTimeoutError, isAirdockError, streamKey, type ConfiguredAirbyteCatalog,
} from '../../protocol/index.js';
import type { Connector } from '../connector.js';
import type { ConnectorRun, RunResult } from '../launcher/connector-run.js';
import type { Logger } from '../log/logger.js';
import type { AttemptResult } from './attempt-result.js';
import { ByteChannel } from './byte-channel.js';
import { classifyAttempt, type SideFacts } from './classify-attempt.js';
import { DestinationReader } from './destination-reader.js';
import type { NamespaceMapper } from './namespace-mapper.js';
import { Relay } from './relay.js';
import { SourceReader } from './source-reader.js';
import { sourceFinished, streamEndLines } from './stream-ends.js';
import type { StateTracker } from './state-tracker.js';
import type { SyncStats } from './sync-stats.js';

export type { AttemptFailure, AttemptResult } from './attempt-result.js';

export interface AttemptOptions {
  runId: string;
  source: { connector: Connector; config: object; catalog: ConfiguredAirbyteCatalog };
  destination: { connector: Connector; config: object; catalog: ConfiguredAirbyteCatalog };
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

/**
 * One attempt: the destination starts first, then the source; both are ordinary connector runs
 * (the launcher's one streamer). The source's messages go through the SourceReader into the relay,
 * the relay feeds the destination's input, the destination's echoes go through the DestinationReader
 * into the state tracker. Throws only when a connector cannot be started.
 */
export async function runAttempt(o: AttemptOptions): Promise<AttemptResult> {
  const srcLog = o.log.child('source');
  const channel = new ByteChannel(o.batchBytes);
  const destination = o.destination.connector.write(o.destination.config, o.destination.catalog, channel, { runId: `${o.runId}-dst`, heartbeatMs: 0 });
  const destinationEnded = follow(destination, new DestinationReader(o.tracker, o.mapper));
  await timeStart(destination, 'destination', o.stats);
  const source = o.source.connector.read(o.source.config, o.source.catalog, o.state, {
    runId: `${o.runId}-src`, heartbeatMs: o.sourceIdleTimeoutMs, graceMs: 2000,
  });
  const relay = new Relay(channel, source, o.batchBytes);
  const streams = new Set(o.source.catalog.streams.map((s) => streamKey(s.stream.namespace === undefined ? { name: s.stream.name } : { name: s.stream.name, namespace: s.stream.namespace })));
  const sourceEnded = follow(source, new SourceReader({ relay, streams, tracker: o.tracker, stats: o.stats, mapper: o.mapper, log: srcLog }));
  try {
    await timeStart(source, 'source', o.stats);
  } catch (err) {
    channel.end();
    await destination.cancel(1000);
    await destinationEnded;
    throw err;
  }
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    srcLog.warn('interrupted: stopping the source, letting the destination finish what it has');
    void source.cancel(5000);
  };
  if (o.signal.aborted) onAbort();
  else o.signal.addEventListener('abort', onAbort, { once: true });
  // A destination that dies early must stop the source, or a source held back by it waits forever.
  let sourceDone = false;
  void destinationEnded.then(() => { if (!sourceDone) void source.cancel(2000); });
  const src = await sourceEnded;
  sourceDone = true;
  o.signal.removeEventListener('abort', onAbort);
  relay.end(streamEndLines(o.destination.catalog, sourceFinished(src, aborted)));
  const timedOut = await graceOrStop(destination, destinationEnded, o.destinationGraceMs, o.log.child('destination'));
  const dst = await destinationEnded;
  return classifyAttempt({
    source: { ...sideFacts(src, source), ...sourceStop(src.error, o.sourceIdleTimeoutMs) },
    destination: { ...sideFacts(dst, destination), timedOut },
    aborted,
  });
}

/** Waits until the connector runs (process spawned, container started) and records how long that took. */
async function timeStart(run: ConnectorRun, side: 'source' | 'destination', stats: SyncStats): Promise<void> {
  const t0 = performance.now();
  await run.started();
  stats.connectorStarted(side, performance.now() - t0);
}

function follow(run: ConnectorRun, reader: SourceReader | DestinationReader): Promise<RunResult> {
  run.stream(reader).catch(() => { /* reported through settled() */ });
  return run.settled();
}

/** Lets the destination finish what it has after its input ended (the platform gives 60 s), then stops it. */
async function graceOrStop(destination: ConnectorRun, ended: Promise<RunResult>, graceMs: number, log: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => { timer = setTimeout(() => resolve('expired'), graceMs); });
  const first = await Promise.race([ended, expired]);
  clearTimeout(timer);
  if (first !== 'expired') return false;
  log.warn(`the destination did not finish within ${Math.round(graceMs / 1000)} s after its input ended; stopping it`);
  await destination.cancel(5000);
  return true;
}

function sideFacts(r: RunResult, run: ConnectorRun): SideFacts {
  const traceError = r.summary.traceErrors[0];
  return { exit: r.summary.exit, ...(traceError ? { traceError } : {}), lastLogLines: run.logTail(10) };
}

/** Why we stopped the source, when we did: it went silent, or its output could not be read. */
function sourceStop(error: unknown, idleMs: number): { idleMs?: number; streamFailure?: string } {
  if (error === undefined || error instanceof ConnectorFailedError || error instanceof ConnectorExitError) return {};
  if (error instanceof ConnectorTimeoutError) return { idleMs };
  // An airdock error carries its code, facts and hint (e.g. how to raise the line limit).
  return { streamFailure: isAirdockError(error) ? error.describe() : error instanceof Error ? error.message : String(error) };
}
