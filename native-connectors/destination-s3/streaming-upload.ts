import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { s3Error } from '../sdk/s3/s3-errors.js';

export interface StreamingUploadOptions {
  gzip?: boolean;
  /** Multipart part size (S3's minimum is 5 MiB); an object smaller than one part is a single PUT. */
  partSize: number;
  /** Parts uploaded at once; memory is about partSize × (queueSize + 1). */
  queueSize: number;
  metadata?: Record<string, string>;
  contentType?: string;
}

/**
 * One object written as a stream: bytes go through an optional gzip into lib-storage's multipart
 * Upload, with backpressure, so memory stays at a few parts whatever the object's size. `finish`
 * resolves only once S3 has completed the object (CompleteMultipartUpload or the single PUT); `abort`
 * removes the multipart upload so no incomplete upload is left behind.
 */
export class StreamingUpload {
  readonly key: string;
  /** Bytes handed to `write` (before compression). */
  bytes = 0;
  readonly #input: Writable;
  readonly #upload: Upload;
  readonly #done: Promise<unknown>;
  #failed: unknown;

  constructor(s3: S3Client, bucket: string, key: string, o: StreamingUploadOptions) {
    this.key = key;
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    if (o.gzip) {
      // 64 KiB output chunks instead of 16 KiB: a quarter of the round trips between the stream and the
      // zlib thread (measured: 2.90 s vs 3.17 s for 200k users, mean of 4 alternating runs at load 6.8)
      const gz = createGzip({ chunkSize: 64 * 1024 });
      gz.pipe(body);
      gz.on('error', (e) => body.destroy(e));
      this.#input = gz;
    } else {
      this.#input = body;
    }
    this.#upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: key, Body: body, ...(o.metadata ? { Metadata: o.metadata } : {}), ...(o.contentType ? { ContentType: o.contentType } : {}) },
      partSize: o.partSize,
      queueSize: o.queueSize,
      leavePartsOnError: false,
    });
    // Started now (the Upload reads the body as it is written); failures surface on the next write or on finish.
    this.#done = this.#upload.done().catch((e: unknown) => { this.#failed = e; this.#input.destroy(); throw e; });
    this.#done.catch(() => {});
  }

  /** Writes bytes; the promise (only when returned) waits until the upload has taken enough. */
  write(chunk: string | Buffer): Promise<void> | undefined {
    if (this.#failed) throw s3Error(this.#failed, 'Upload', { key: this.key });
    this.bytes += chunk.length;
    if (this.#input.write(chunk)) return undefined;
    return this.#drain();
  }

  async #drain(): Promise<void> {
    await Promise.race([once(this.#input, 'drain'), this.#done.then(() => {}, () => {})]);
    if (this.#failed) throw s3Error(this.#failed, 'Upload', { key: this.key });
  }

  /** Ends the object and waits until S3 has it complete. */
  async finish(): Promise<void> {
    this.#input.end();
    try {
      await this.#done;
    } catch (e) {
      throw s3Error(e, 'Upload', { key: this.key });
    }
  }

  /** Stops the upload and aborts its multipart upload (best effort: the store may be unreachable). */
  async abort(): Promise<void> {
    try { await this.#upload.abort(); } catch { /* nothing was started, or the store is gone */ }
    this.#input.destroy();
    await this.#done.catch(() => {});
  }
}
