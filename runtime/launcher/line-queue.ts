import type { MessageLine } from '../../protocol/index.js';

/**
 * Turns the pushed lines of a run into an async iterable for a consumer that pulls (`for await`).
 * Past `highWater` queued lines it asks the producer to hold back, and lets it go once drained.
 */
export class LineQueue {
  readonly #items: MessageLine[] = [];
  readonly #hold: () => void;
  readonly #release: () => void;
  readonly #highWater: number;
  #head = 0;
  #held = false;
  #ended = false;
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(o: { hold: () => void; release: () => void; highWater?: number }) {
    this.#hold = o.hold;
    this.#release = o.release;
    this.#highWater = o.highWater ?? 1024;
  }

  push(line: MessageLine): void {
    if (this.#closed) return;
    this.#items.push(line);
    if (!this.#held && this.#items.length - this.#head >= this.#highWater) {
      this.#held = true;
      this.#hold();
    }
    this.#notify();
  }

  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /** The consumer left: drop what is queued and everything pushed from now on. */
  close(): void {
    this.#closed = true;
    this.#items.length = 0;
    this.#head = 0;
    if (this.#held) {
      this.#held = false;
      this.#release();
    }
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<MessageLine> {
    for (;;) {
      if (this.#head < this.#items.length) {
        const line = this.#items[this.#head]!;
        this.#items[this.#head++] = undefined as unknown as MessageLine;
        yield line;
        continue;
      }
      this.#items.length = 0;
      this.#head = 0;
      if (this.#held) {
        this.#held = false;
        this.#release();
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => { this.#wake = resolve; });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
