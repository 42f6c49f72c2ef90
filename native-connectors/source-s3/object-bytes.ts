import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { compressionOfKey, decompressor } from '../sdk/files/compression.js';
import { s3Error } from '../sdk/s3/s3-errors.js';

/**
 * The bytes of an object, decompressed by its extension, as a stream: objects of any size are read
 * with bounded memory (the SDK's body is a socket stream with backpressure).
 */
export async function objectBytes(s3: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<AsyncIterable<Buffer>> {
  const compression = compressionOfKey(key);
  let body: Readable;
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    body = r.Body as Readable;
  } catch (e) {
    throw s3Error(e, 'GetObject', { bucket });
  }
  if (compression === 'none') return body;
  const d = decompressor(compression);
  body.on('error', (e) => d.destroy(e));
  return body.pipe(d);
}
