import { isUtf8 } from 'node:buffer';
import { isJsonObject } from './is-json-object.js';
import { recordData } from './record-data.js';

const CHUNK = 256 * 1024;

/**
 * RECORD lines of one stream gathered as bytes, in the Emitter's line layout. A message value that is
 * one JSON object on one line, in valid UTF-8 (the usual case) is copied as it is; anything else goes
 * through `recordData` (decoded, parsed, wrapped or re-serialised, or refused). Decoding each value to
 * a string, JSON.parse-ing it and encoding the line again was most of the source's CPU in profiles.
 */
export class RecordLines {
  readonly #prefix: Buffer;
  #buf = Buffer.allocUnsafe(CHUNK);
  #pos = 0;
  /** Records gathered since the last `take()`. */
  count = 0;

  constructor(stream: string, emittedAt: number) {
    this.#prefix = Buffer.from(`{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"emitted_at":${emittedAt},"data":`);
  }

  get bytes(): number {
    return this.#pos;
  }

  add(value: Buffer, where: { topic: string; partition: number; offset: string }): void {
    const data = value.indexOf(0x0a) < 0 && value.indexOf(0x0d) < 0 && isUtf8(value) && isJsonObject(value) ? value : Buffer.from(recordData(value, where));
    const need = this.#prefix.length + data.length + 3;
    if (this.#pos + need > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + need));
      this.#buf.copy(grown, 0, 0, this.#pos);
      this.#buf = grown;
    }
    this.#pos += this.#prefix.copy(this.#buf, this.#pos);
    this.#pos += data.copy(this.#buf, this.#pos);
    this.#buf[this.#pos++] = 0x7d;
    this.#buf[this.#pos++] = 0x7d;
    this.#buf[this.#pos++] = 0x0a;
    this.count++;
  }

  /** The lines gathered so far (the writer keeps this Buffer; the next lines go to a new one). */
  take(): Buffer {
    const lines = this.#buf.subarray(0, this.#pos);
    this.#buf = Buffer.allocUnsafe(CHUNK);
    this.#pos = 0;
    this.count = 0;
    return lines;
  }
}
