import {
  UnknownStreamError, encodeMessage, streamKey, type AirbyteMessage, type AirbyteStateMessage, type AirbyteTraceMessage, type MessageLine,
} from '../../protocol/index.js';
import type { LineConsumer } from '../launcher/output-reader.js';
import type { Logger } from '../log/logger.js';
import type { NamespaceMapper } from './namespace-mapper.js';
import type { Relay } from './relay.js';
import type { StateTracker } from './state-tracker.js';
import type { StreamStats, SyncStats } from './sync-stats.js';

/**
 * What the sync does with each source message (LOG, noise and TRACE errors are handled by the run
 * itself): RECORDs are counted and relayed as their bytes (namespace/prefix spliced in when mapped);
 * STATEs get an id and a record count and are relayed in order; stream statuses and estimates feed
 * the stats.
 */
export interface SourceReaderDeps {
  relay: Relay;
  /** Stream keys of the configured (source) catalog: a RECORD of any other stream fails the attempt. */
  streams: ReadonlySet<string>;
  tracker: StateTracker;
  stats: SyncStats;
  mapper: NamespaceMapper;
  log: Logger;
}

export class SourceReader implements LineConsumer {
  readonly #o: SourceReaderDeps;
  #lastStream = '';
  #lastNamespace: string | undefined;
  #lastStats: StreamStats | undefined;

  constructor(o: SourceReaderDeps) {
    this.#o = o;
  }

  onLine(line: MessageLine): void {
    if (line.type === 'RECORD' && line.record) this.#record(line);
    else this.#message(line.message);
  }

  onChunkEnd(): void {
    this.#o.relay.flush();
  }

  #record(line: MessageLine): void {
    const env = line.record!;
    let stats = this.#lastStats;
    // Records come in long runs of one stream: look its counters up only when the stream changes.
    if (!stats || env.stream !== this.#lastStream || env.namespace !== this.#lastNamespace) {
      this.#lastStream = env.stream;
      this.#lastNamespace = env.namespace;
      const key = streamKey(env.namespace === undefined ? { name: env.stream } : { name: env.stream, namespace: env.namespace });
      if (!this.#o.streams.has(key)) {
        this.#lastStats = undefined;
        throw new UnknownStreamError('The source sent a RECORD of a stream that is not in the configured catalog', {
          context: { stream: env.stream, ...(env.namespace === undefined ? {} : { namespace: env.namespace }) },
        });
      }
      stats = this.#lastStats = this.#o.stats.get(key);
      if (stats.status === 'pending') stats.status = 'RUNNING';
    }
    stats.recordsEmitted++;
    stats.bytesEmitted += line.raw.length;
    this.#o.tracker.record(stats, line.raw.length);
    this.#o.relay.record(this.#o.mapper.identity ? line.raw : this.#o.mapper.mapRecord(line.raw, env));
  }

  #message(m: AirbyteMessage): void {
    switch (m.type) {
      case 'STATE': {
        const state = this.#o.tracker.sourceState(m.state as AirbyteStateMessage);
        const mapped = mapStateForDestination(state, this.#o.mapper);
        this.#o.relay.state(Buffer.from(encodeMessage({ type: 'STATE', state: mapped }).slice(0, -1)));
        return;
      }
      case 'TRACE':
        if (m.trace) this.#trace(m.trace);
        return;
      case 'CONTROL':
        this.#o.log.warn('the source sent a config update (CONTROL); airdock does not rewrite connection files, update it yourself');
        return;
      default:
        this.#o.log.debug(`ignored a ${m.type} message`);
    }
  }

  #trace(t: AirbyteTraceMessage): void {
    if (t.type === 'STREAM_STATUS' && t.stream_status) {
      this.#o.stats.get(streamKey(t.stream_status.stream_descriptor)).status = t.stream_status.status;
    } else if (t.type === 'ESTIMATE' && t.estimate) {
      const s = this.#o.stats.of(t.estimate.name, t.estimate.namespace ?? undefined);
      if (typeof t.estimate.row_estimate === 'number') s.rowEstimate = t.estimate.row_estimate;
      if (typeof t.estimate.byte_estimate === 'number') s.byteEstimate = t.estimate.byte_estimate;
    }
  }
}

function mapStateForDestination(state: AirbyteStateMessage, mapper: NamespaceMapper): AirbyteStateMessage {
  if (mapper.identity || state.type !== 'STREAM' || !state.stream) return state;
  return { ...state, stream: { ...state.stream, stream_descriptor: mapper.map(state.stream.stream_descriptor) } };
}
