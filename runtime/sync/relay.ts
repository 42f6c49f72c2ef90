import type { ByteChannel } from './byte-channel.js';

const NL = Buffer.from('\n');

/** What the relay holds back when the destination is slower than the source. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * Forwards lines to the destination as their original bytes, gathered into batches (one write per
 * chunk the source delivered, or sooner when a batch fills up). When the destination's input is
 * full, the source is paused until it drains: a slow destination slows the source, memory stays flat.
 */
export class Relay {
  readonly #channel: ByteChannel;
  readonly #source: Pausable;
  readonly #batchBytes: number;
  #batch: Buffer[] = [];
  #batchLen = 0;
  #paused = false;

  constructor(channel: ByteChannel, source: Pausable, batchBytes = 64 * 1024) {
    this.#channel = channel;
    this.#source = source;
    this.#batchBytes = batchBytes;
  }

  /** A record line without its newline; a view into the source's chunk is fine (the batch copies it). */
  record(line: Buffer): void {
    this.#batch.push(line, NL);
    this.#batchLen += line.length + 1;
    if (this.#batchLen >= this.#batchBytes) this.flush();
  }

  /** States are rare and carry the commit: they do not wait for a full batch. */
  state(line: Buffer): void {
    this.record(line);
    this.flush();
  }

  flush(): void {
    if (this.#batchLen === 0) return;
    const buf = this.#batch.length === 1 ? this.#batch[0]! : Buffer.concat(this.#batch, this.#batchLen);
    this.#batch = [];
    this.#batchLen = 0;
    if (!this.#channel.push(buf) && !this.#paused) {
      this.#paused = true;
      this.#source.pause();
      this.#channel.onDrain(() => {
        this.#paused = false;
        this.#source.resume();
      });
    }
  }

  /** The source is done: send what is left, then `last` (lines without their newline), and close the destination's input. */
  end(last: Buffer[] = []): void {
    for (const line of last) this.record(line);
    this.flush();
    this.#channel.end();
  }
}
