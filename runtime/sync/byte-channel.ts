/**
 * An in-memory pipe of byte chunks between the relay (which pushes) and a destination's input pump
 * (which pulls). `push()` answers false once `highWater` bytes wait: the relay then holds the source
 * back until `onDrain`. When the consumer leaves (the destination died), pushes are dropped and
 * anyone waiting for a drain is let go.
 */
export class ByteChannel implements AsyncIterable<Buffer> {
  readonly #highWater: number;
  #items: Buffer[] = [];
  #bytes = 0;
  #ended = false;
  #closed = false;
  #wake: (() => void) | undefined;
  #drained: (() => void)[] = [];

  constructor(highWater = 64 * 1024) {
    this.#highWater = highWater;
  }

  push(chunk: Buffer): boolean {
    if (this.#closed || this.#ended) return true;
    this.#items.push(chunk);
    this.#bytes += chunk.length;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
    return this.#bytes < this.#highWater;
  }

  /** Called once, when the queued bytes fall below the high-water mark (or the consumer left). */
  onDrain(callback: () => void): void {
    if (this.#closed || this.#bytes < this.#highWater) callback();
    else this.#drained.push(callback);
  }

  end(): void {
    this.#ended = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const chunk = this.#items.shift();
        if (chunk) {
          this.#bytes -= chunk.length;
          if (this.#bytes < this.#highWater) this.#releaseDrained();
          yield chunk;
          continue;
        }
        if (this.#ended) return;
        await new Promise<void>((resolve) => { this.#wake = resolve; });
      }
    } finally {
      this.#closed = true;
      this.#items = [];
      this.#bytes = 0;
      this.#releaseDrained();
    }
  }

  #releaseDrained(): void {
    const waiting = this.#drained;
    this.#drained = [];
    for (const callback of waiting) callback();
  }
}
