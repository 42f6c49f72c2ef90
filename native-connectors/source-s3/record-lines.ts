import type { JsonlSpans } from './jsonl-reader.js';
import { isWs } from './scan-json-object.js';

/**
 * RECORD lines of one file's stream built from JSON lines as bytes: each line's object is copied as it
 * is, with the two file columns spliced in before its closing brace, inside the RECORD envelope
 * Emitter.recordLine writes. No decoding, parsing or encoding: that was most of source-s3's CPU.
 */
export class RecordLines {
  readonly #head: string;
  readonly #columns: Buffer;
  readonly #firstColumns: Buffer;

  /** `fileColumns`: `,"name":value,...` of the columns appended to every record. */
  constructor(stream: string, fileColumns: string) {
    this.#head = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"emitted_at":`;
    this.#columns = Buffer.from(`${fileColumns}}}}\n`);
    // for an empty object: no comma before the first column
    this.#firstColumns = Buffer.from(`${fileColumns.slice(1)}}}}\n`);
  }

  /** The RECORD lines of every span, in one buffer of their own. */
  encode(batch: JsonlSpans): Buffer {
    const { bytes, spans, count } = batch;
    const prefix = Buffer.from(`${this.#head}${Date.now()},"data":`);
    const columns = this.#columns;
    let size = count * (prefix.length + columns.length);
    for (let i = 0; i < count; i++) size += spans[i * 2 + 1]! - spans[i * 2]!;
    const out = Buffer.allocUnsafe(size);
    let pos = 0;
    for (let i = 0; i < count; i++) {
      let start = spans[i * 2]!;
      while (bytes[start] !== 0x7b) start++; // leading whitespace
      let end = spans[i * 2 + 1]!; // the closing brace, left out
      while (isWs(bytes[end - 1]!)) end--;
      out.set(prefix, pos);
      pos += prefix.length;
      out.set(bytes.subarray(start, end), pos);
      pos += end - start;
      const tail = end - start === 1 ? this.#firstColumns : columns;
      out.set(tail, pos);
      pos += tail.length;
    }
    return out.subarray(0, pos);
  }
}
