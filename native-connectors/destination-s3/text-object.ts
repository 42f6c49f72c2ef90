import type { S3Client } from '@aws-sdk/client-s3';
import type { InputMessage } from '../sdk/index.js';
import type { RecordObject } from './record-object.js';
import { StreamingUpload, type StreamingUploadOptions } from './streaming-upload.js';
import type { TextFormat } from './text-formats.js';

/** A CSV or JSON lines object: lines are batched (64 KiB) into a streaming (multipart) upload. */
export class TextObject implements RecordObject {
  readonly #upload: StreamingUpload;
  #buf = '';

  constructor(s3: S3Client, bucket: string, readonly key: string, private readonly format: TextFormat, o: StreamingUploadOptions) {
    this.#upload = new StreamingUpload(s3, bucket, key, o);
    this.#buf = format.header();
  }

  get bytes(): number {
    return this.#upload.bytes + this.#buf.length;
  }

  write(m: InputMessage): Promise<void> | undefined {
    this.#buf += this.format.line(m);
    if (this.#buf.length < 65_536) return undefined;
    const chunk = this.#buf;
    this.#buf = '';
    return this.#upload.write(chunk);
  }

  async finish(): Promise<void> {
    if (this.#buf) {
      const w = this.#upload.write(this.#buf);
      this.#buf = '';
      if (w) await w;
    }
    await this.#upload.finish();
  }

  abort(): Promise<void> {
    return this.#upload.abort();
  }
}
