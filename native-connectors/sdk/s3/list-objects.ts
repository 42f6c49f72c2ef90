import { ListObjectsV2Command, type _Object, type S3Client } from '@aws-sdk/client-s3';
import { s3Error } from './s3-errors.js';

/** Every object under a prefix (the whole bucket for ''), page by page (ListObjectsV2, 1,000 a page). */
export async function* listObjects(s3: S3Client, bucket: string, prefix: string, signal?: AbortSignal): AsyncGenerator<_Object> {
  let token: string | undefined;
  do {
    signal?.throwIfAborted();
    let page;
    try {
      page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}), ...(token ? { ContinuationToken: token } : {}) }), { abortSignal: signal });
    } catch (e) {
      throw s3Error(e, 'ListObjectsV2', { bucket });
    }
    yield* page.Contents ?? [];
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
