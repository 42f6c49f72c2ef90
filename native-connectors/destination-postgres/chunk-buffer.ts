/** A chunk being formatted: `bytes` written, the first `head` of them a header each chunk starts with. */
export class ChunkBuffer {
  buf: Buffer;
  bytes = 0;
  #header: Buffer = Buffer.alloc(0);
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  get head(): number { return this.#header.length; }

  /** Every chunk starts with `header` (binary COPY's signature). */
  start(header: Buffer): void {
    this.#header = header;
    this.bytes = header.copy(this.buf, 0);
  }

  /** Room for `bytes` more. */
  reserve(bytes: number): void {
    if (this.bytes + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.bytes + bytes));
    this.buf.copy(grown, 0, 0, this.bytes);
    this.buf = grown;
  }

  /** The chunk written so far; the next is written into `next` (or a new buffer of the same size). */
  take(next: Buffer | undefined): Buffer {
    const out = this.buf.subarray(0, this.bytes);
    this.buf = next ?? Buffer.allocUnsafe(this.buf.length);
    this.bytes = this.#header.copy(this.buf, 0);
    return out;
  }
}
