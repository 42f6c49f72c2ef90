import { isUtf8 } from 'node:buffer';
import { LineBuffer } from '../sdk/line-buffer.js';
import { isJsonObject } from './is-json-object.js';
import { recordData } from './record-data.js';

const CHUNK = 256 * 1024;
const CLOSE = Buffer.from('}}\n');

/**
 * RECORD lines of one stream gathered as bytes, in the Emitter's line layout. A message value that is
 * one JSON object on one line, in valid UTF-8 (the usual case) is copied as it is; anything else goes
 * through `recordData` (decoded, parsed, wrapped or re-serialised, or refused). Decoding each value to
 * a string, JSON.parse-ing it and encoding the line again was most of the source's CPU in profiles.
 */
export class RecordLines {
  readonly #prefix: Buffer;
  readonly #out = new LineBuffer(CHUNK);
  /** Records gathered since the last `take()`. */
  count = 0;

  constructor(stream: string, emittedAt: number) {
    this.#prefix = Buffer.from(`{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"emitted_at":${emittedAt},"data":`);
  }

  get bytes(): number {
    return this.#out.length;
  }

  add(value: Buffer, where: { topic: string; partition: number; offset: string }): void {
    const data = value.indexOf(0x0a) < 0 && value.indexOf(0x0d) < 0 && isUtf8(value) && isJsonObject(value) ? value : Buffer.from(recordData(value, where));
    this.#out.bytes(this.#prefix, 0, this.#prefix.length);
    this.#out.bytes(data, 0, data.length);
    this.#out.bytes(CLOSE, 0, CLOSE.length);
    this.count++;
  }

  /** The lines gathered so far (the writer keeps this Buffer; the next lines go to a new one). */
  take(): Buffer {
    this.count = 0;
    return this.#out.take();
  }
}
