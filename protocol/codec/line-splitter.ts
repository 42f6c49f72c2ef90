import { LineTooLongError } from '../errors/index.js';

/** 64 MiB: comfortably above the multi-MB records real connectors emit, far below what exhausts memory. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;

export interface LineSplitterOptions {
  maxLineBytes?: number;
}

/**
 * Splits a byte stream into lines without decoding it. Working on bytes (not `chunk.toString()`)
 * is what keeps a multi-byte UTF-8 character split across two chunks intact, and lets the
 * runtime forward a record's exact bytes. A trailing `\r` is dropped so `\r\n` output works.
 *
 * The callback receives a view (subarray) into the chunk whenever the line lies within one chunk;
 * it must copy the bytes if it keeps them beyond the call.
 */
export class LineSplitter {
  readonly maxLineBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(options: LineSplitterOptions = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  push(chunk: Buffer, onLine: (line: Buffer) => void): void {
    let start = 0;
    let nl = chunk.indexOf(LF, start);
    while (nl !== -1) {
      if (this.#pendingBytes > 0) {
        this.#checkLength(this.#pendingBytes + (nl - start));
        this.#pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.#pending, this.#pendingBytes + (nl - start));
        this.#pending = [];
        this.#pendingBytes = 0;
        onLine(stripCr(line));
      } else {
        this.#checkLength(nl - start);
        onLine(stripCr(chunk.subarray(start, nl)));
      }
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      this.#pendingBytes += chunk.length - start;
      this.#checkLength(this.#pendingBytes);
      // Copy: the caller may reuse the chunk's memory after push() returns.
      this.#pending.push(Buffer.from(chunk.subarray(start)));
    }
  }

  /**
   * Like push(), but a line that lies wholly inside `chunk` is reported as its span: `onSpan(chunk,
   * start, nl)` with the line in [start, nl) and its newline at `nl` (a `\r` before it is left to the
   * caller), without a view being made. A line that spans chunks still comes through `onLine`, before
   * the spans of the chunk that ends it. Lets a reader take runs of lines in place.
   */
  pushSpans(chunk: Buffer, onSpan: (chunk: Buffer, start: number, nl: number) => void, onLine: (line: Buffer) => void): void {
    let start = 0;
    let nl = chunk.indexOf(LF);
    if (nl !== -1 && this.#pendingBytes > 0) {
      this.push(chunk.subarray(0, nl + 1), onLine);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    while (nl !== -1) {
      this.#checkLength(nl - start);
      onSpan(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.push(chunk.subarray(start), onLine);
  }

  /** Flushes a last line that had no trailing newline. */
  end(onLine: (line: Buffer) => void): void {
    if (this.#pendingBytes > 0) {
      const line = Buffer.concat(this.#pending, this.#pendingBytes);
      this.#pending = [];
      this.#pendingBytes = 0;
      onLine(stripCr(line));
    }
  }

  /** Bytes held for a line that has not ended yet. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  #checkLength(bytes: number): void {
    if (bytes > this.maxLineBytes) {
      this.#pending = [];
      this.#pendingBytes = 0;
      throw new LineTooLongError('A line is longer than the maximum line length', {
        context: { maxLineBytes: this.maxLineBytes, atLeastBytes: bytes },
      });
    }
  }
}

function stripCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}
