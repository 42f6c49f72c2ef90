import type { S3Client } from '@aws-sdk/client-s3';
import type { InputMessage, RecordRun } from '../sdk/index.js';
import { LineBuffer } from '../sdk/line-buffer.js';
import type { RecordObject } from './record-object.js';
import { StreamingUpload, type StreamingUploadOptions } from './streaming-upload.js';
import type { TextFormat } from './text-formats.js';

/** Lines are handed to the upload in chunks of about this size (fewer, larger stream writes). */
const CHUNK = 128 * 1024;

/** A CSV or JSON lines object: lines are written into byte chunks that go into a streaming (multipart) upload. */
export class TextObject implements RecordObject {
  readonly #upload: StreamingUpload;
  readonly #out = new LineBuffer(2 * CHUNK);

  constructor(s3: S3Client, bucket: string, readonly key: string, private readonly format: TextFormat, o: StreamingUploadOptions) {
    this.#upload = new StreamingUpload(s3, bucket, key, o);
    this.#out.text(format.header());
  }

  get bytes(): number {
    return this.#upload.bytes + this.#out.length;
  }

  write(m: InputMessage): Promise<void> | undefined {
    this.format.write(m, this.#out);
    if (this.#out.length < CHUNK) return undefined;
    return this.#upload.write(this.#out.take());
  }

  writeRun(run: RecordRun): Promise<void> | undefined {
    this.format.writeRun!(run, this.#out);
    if (this.#out.length < CHUNK) return undefined;
    return this.#upload.write(this.#out.take());
  }

  async finish(): Promise<void> {
    if (this.#out.length > 0) {
      const w = this.#upload.write(this.#out.take());
      if (w) await w;
    }
    await this.#upload.finish();
  }

  abort(): Promise<void> {
    return this.#upload.abort();
  }
}
