import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createOwnedTempDir } from '../sdk/owned-temp-dir.js';

/**
 * Streams bytes into a temporary file (for formats that need random access, such as Parquet's
 * footer), and removes it when disposed. Memory stays bounded whatever the object's size.
 */
export async function localCopy(bytes: AsyncIterable<Buffer>, name: string): Promise<{ path: string } & AsyncDisposable> {
  const dir = createOwnedTempDir('airdock-s3-copy-');
  const path = join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_') || 'object');
  try {
    await pipeline(bytes, createWriteStream(path));
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { path, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}
