import type { Writable } from 'node:stream';
import { encodeMessage } from '../../protocol/index.js';
import type { AirbyteMessage, AirbyteStateMessage, AirbyteStreamStatus } from '../../protocol/index.js';

const FLUSH_AT = 64 * 1024;

/**
 * Writes protocol messages to stdout. Lines are batched into ~64 KiB chunks because one write()
 * per record costs more than building the record; every emit returns a promise that waits for
 * 'drain' only when the stream asked us to slow down, so a slow reader bounds our memory.
 */
export class Emitter {
  readonly #out: Writable;
  #buf = '';
  #pending: Promise<void> | undefined;
  /** Records per stream since that stream's last STATE, for sourceStats.recordCount. */
  readonly #counts = new Map<string, number>();

  constructor(out: Writable) {
    this.#out = out;
  }

  /** Writes a message; await it (or `ready()`) to respect backpressure. */
  message(message: AirbyteMessage): Promise<void> | undefined {
    return this.raw(encodeMessage(message));
  }

  record(stream: string, data: Record<string, unknown>, namespace?: string): Promise<void> | undefined {
    return this.recordLine(stream, JSON.stringify(data), namespace);
  }

  /**
   * The hot path: `dataJson` is the record's data already serialised. Returns a promise only when
   * the caller must wait, so a tight loop can `const p = e.recordLine(..); if (p) await p;`.
   */
  recordLine(stream: string, dataJson: string, namespace?: string, emittedAt = Date.now()): Promise<void> | undefined {
    const key = namespace === undefined ? stream : `${namespace}\u0000${stream}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    const ns = namespace === undefined ? '' : `,"namespace":${JSON.stringify(namespace)}`;
    return this.raw(`{"type":"RECORD","record":{"stream":${JSON.stringify(stream)}${ns},"emitted_at":${emittedAt},"data":${dataJson}}}\n`);
  }

  /**
   * Pre-encoded RECORD lines (each ending in '\n') for one stream, written as they are: the hot path of
   * sources whose database already produced the JSON. `count` is how many records `lines` holds, for
   * sourceStats. Await the result (when there is one) to respect backpressure, as with recordLine.
   * `written`, when given, is called once stdout is done with `lines` (written, or failed), so the
   * caller may fill the same Buffer again instead of allocating one per batch.
   */
  recordBytes(stream: string, lines: Buffer, count: number, namespace?: string, written?: () => void): Promise<void> | undefined {
    const key = namespace === undefined ? stream : `${namespace}\u0000${stream}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + count);
    if (this.#buf.length > 0) this.#write();
    return this.#write(lines, written);
  }

  /** A STREAM state; adds sourceStats.recordCount (records of this stream since its last state). */
  streamState(stream: string, streamState: unknown, namespace?: string): Promise<void> | undefined {
    const key = namespace === undefined ? stream : `${namespace}\u0000${stream}`;
    const count = this.#counts.get(key) ?? 0;
    this.#counts.set(key, 0);
    const state: AirbyteStateMessage = {
      type: 'STREAM',
      stream: { stream_descriptor: namespace === undefined ? { name: stream } : { name: stream, namespace }, stream_state: streamState as Record<string, unknown> },
      sourceStats: { recordCount: count },
    };
    return this.message({ type: 'STATE', state });
  }

  /**
   * A GLOBAL state (CDC-style sources: one shared cursor, e.g. a log position, plus per-stream
   * states). sourceStats.recordCount counts the records of every stream since the previous state.
   */
  globalState(sharedState: unknown, streamStates: readonly { name: string; namespace?: string; state: unknown }[]): Promise<void> | undefined {
    let count = 0;
    for (const n of this.#counts.values()) count += n;
    this.#counts.clear();
    const state: AirbyteStateMessage = {
      type: 'GLOBAL',
      global: {
        shared_state: sharedState as Record<string, unknown>,
        stream_states: streamStates.map((s) => ({
          stream_descriptor: s.namespace === undefined ? { name: s.name } : { name: s.name, namespace: s.namespace },
          stream_state: s.state as Record<string, unknown>,
        })),
      },
      sourceStats: { recordCount: count },
    };
    return this.message({ type: 'STATE', state });
  }

  state(state: AirbyteStateMessage): Promise<void> | undefined {
    return this.message({ type: 'STATE', state });
  }

  log(level: 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE', message: string): Promise<void> | undefined {
    return this.message({ type: 'LOG', log: { level, message } });
  }

  streamStatus(stream: string, status: AirbyteStreamStatus, namespace?: string): Promise<void> | undefined {
    return this.message({
      type: 'TRACE',
      trace: {
        type: 'STREAM_STATUS',
        emitted_at: Date.now(),
        stream_status: { stream_descriptor: namespace === undefined ? { name: stream } : { name: stream, namespace }, status },
      },
    } as AirbyteMessage);
  }

  /** A per-stream row estimate (never mix with SYNC estimates: the platform drops both). */
  estimate(stream: string, rowEstimate: number, namespace?: string): Promise<void> | undefined {
    return this.message({
      type: 'TRACE',
      trace: { type: 'ESTIMATE', emitted_at: Date.now(), estimate: { name: stream, type: 'STREAM', row_estimate: rowEstimate, ...(namespace === undefined ? {} : { namespace }) } },
    } as AirbyteMessage);
  }

  /** Appends one or more complete lines. */
  raw(lines: string): Promise<void> | undefined {
    this.#buf += lines;
    if (this.#buf.length < FLUSH_AT) return this.#pending;
    return this.#write();
  }

  /** Resolves when the stream can take more. */
  ready(): Promise<void> {
    return this.#pending ?? Promise.resolve();
  }

  /** Writes everything buffered and waits for the stream to accept it. */
  async flush(): Promise<void> {
    if (this.#buf.length > 0) this.#write();
    await this.ready();
  }

  #write(bytes?: Buffer, written?: () => void): Promise<void> | undefined {
    const chunk = bytes ?? this.#buf;
    if (!bytes) this.#buf = '';
    if (!this.#out.write(chunk, written) && !this.#pending) {
      this.#pending = new Promise<void>((resolve) => {
        const done = () => {
          this.#out.off('drain', done);
          this.#out.off('close', done);
          this.#out.off('error', done);
          this.#pending = undefined;
          resolve();
        };
        this.#out.on('drain', done);
        this.#out.on('close', done);
        this.#out.on('error', done);
      });
    }
    return this.#pending;
  }
}
