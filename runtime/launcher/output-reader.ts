import type { Readable } from 'node:stream';
import { classifyLine, LineSplitter, type AirbyteErrorTraceMessage, type DecodedLine, type MessageLine } from '../../protocol/index.js';
import { levelOfAirbyte, type Logger } from '../log/logger.js';
import { clipLine, type RunTails } from './run-tails.js';

/** Who takes a run's protocol messages, as they are read (push mode). */
export interface LineConsumer {
  /** Every protocol message except LOG, with its raw bytes. A throw fails the run. */
  onLine(line: MessageLine): void;
  /** After the lines of one chunk of output: a good moment to flush a batch. */
  onChunkEnd?(): void;
}

/** What a connector's stdout held, for the run summary. */
export interface OutputCounts {
  /** Messages by type (LOG included). */
  counts: Record<string, number>;
  records: number;
  messageBytes: number;
  noiseLines: number;
  invalidLines: number;
  traceErrors: AirbyteErrorTraceMessage[];
}

/**
 * Reads a connector's stdout: splits it into lines on bytes, classifies each (envelope mode: a
 * RECORD's `data` is never parsed), and routes what is not for the consumer: LOG messages to the
 * logger, TRACE errors remembered, lines that are not protocol messages logged (never fatal). The
 * rest goes to the consumer, synchronously, in order. `pause()`/`resume()` hold the stream back.
 */
export class OutputReader {
  readonly stats: OutputCounts = { counts: {}, records: 0, messageBytes: 0, noiseLines: 0, invalidLines: 0, traceErrors: [] };
  /** Resolves when stdout ends: undefined, or the first failure (a line over the limit, a consumer that threw). */
  readonly done: Promise<unknown>;
  readonly #stdout: Readable;
  readonly #log: Logger;
  readonly #tails: RunTails;
  readonly #consumer: LineConsumer;
  #lineNo = 0;
  #failure: unknown;

  constructor(stdout: Readable, o: { log: Logger; tails: RunTails; consumer: LineConsumer; onActivity: () => void; maxLineBytes?: number }) {
    this.#stdout = stdout;
    this.#log = o.log;
    this.#tails = o.tails;
    this.#consumer = o.consumer;
    const splitter = new LineSplitter(o.maxLineBytes ? { maxLineBytes: o.maxLineBytes } : {});
    const onRaw = (raw: Buffer) => this.#route(classifyLine(raw, ++this.#lineNo, { validate: 'envelope' }));
    this.done = new Promise<unknown>((resolve) => {
      const fail = (err: unknown) => {
        this.#failure ??= err;
        resolve(this.#failure);
      };
      stdout.on('data', (chunk: Buffer) => {
        // After a failure the rest is drained unread, so the connector can be stopped without blocking on a full pipe.
        if (this.#failure !== undefined) return;
        o.onActivity();
        try {
          splitter.push(chunk, onRaw);
          this.#consumer.onChunkEnd?.();
        } catch (err) {
          fail(err);
        }
      });
      stdout.on('end', () => {
        try {
          if (this.#failure === undefined) splitter.end(onRaw);
        } catch (err) {
          fail(err);
        }
        resolve(this.#failure);
      });
      stdout.on('close', () => resolve(this.#failure));
      stdout.on('error', () => resolve(this.#failure));
    });
  }

  pause(): void {
    this.#stdout.pause();
  }

  resume(): void {
    this.#stdout.resume();
  }

  #route(line: DecodedLine): void {
    const s = this.stats;
    if (line.kind === 'noise') {
      s.noiseLines++;
      if (line.raw.length > 0) this.#log.info(clipLine(line.raw.toString('utf8')));
      return;
    }
    if (line.kind === 'invalid') {
      s.invalidLines++;
      this.#log.warn(`dropped an invalid ${line.type} message (line ${line.line}): ${line.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
      return;
    }
    s.counts[line.type] = (s.counts[line.type] ?? 0) + 1;
    s.messageBytes += line.raw.length + 1;
    if (line.type === 'RECORD') {
      s.records++;
    } else if (line.type === 'LOG') {
      const log = line.message.log!;
      this.#log.log(levelOfAirbyte(log.level), log.message);
      this.#tails.log.push(log.message);
      return;
    } else if (line.type === 'TRACE' && line.message.trace?.type === 'ERROR' && line.message.trace.error) {
      const error = line.message.trace.error;
      s.traceErrors.push(error);
      this.#log.error(error.message);
      this.#tails.log.push(error.message);
    }
    this.#consumer.onLine(line);
  }
}
