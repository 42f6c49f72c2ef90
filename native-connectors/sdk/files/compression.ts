import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { ConfigValidationError } from '../../../protocol/index.js';

/** Whole-object compressions recognised by file extension, as the official source (smart_open) does. */
export type Compression = 'none' | 'gzip' | 'zstd';

const BY_EXTENSION: Record<string, Compression> = { gz: 'gzip', gzip: 'gzip', zst: 'zstd', zstd: 'zstd' };
const UNSUPPORTED = new Set(['bz2', 'xz', 'lz4', 'snappy', 'sz', 'br', 'zip']);

/** The compression of an object, from the last extension of its key (`a/b.csv.gz` → gzip). */
export function compressionOfKey(key: string): Compression {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  if (BY_EXTENSION[ext]) return BY_EXTENSION[ext]!;
  if (UNSUPPORTED.has(ext)) {
    throw new ConfigValidationError([{ path: '/streams', message: `objects compressed as .${ext} are not supported yet (gzip and zstd are)` }]);
  }
  return 'none';
}

/** A byte stream transform that undoes the compression (identity for 'none'). */
export function decompressor(c: Compression): Transform {
  switch (c) {
    // 64 KiB output chunks instead of zlib's 16 KiB: a quarter of the chunks for the reader to handle
    case 'gzip': return createGunzip({ chunkSize: 64 * 1024 });
    case 'zstd': return zstdDecompressor();
    default: return new Transform({ transform(chunk, _e, cb) { cb(null, chunk); } });
  }
}

/** fzstd's streaming decoder (pure JS: Node 20 has no zstd in zlib) as a Node Transform. */
function zstdDecompressor(): Transform {
  let push: ((b: Uint8Array) => void) | undefined;
  const d = new ZstdDecompress((chunk) => push?.(chunk));
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      push = (b) => this.push(Buffer.from(b)); // a copy: the decoder may reuse its window
      try { d.push(chunk); cb(); } catch (e) { cb(e as Error); }
    },
    flush(cb) {
      push = (b) => this.push(Buffer.from(b)); // a copy: the decoder may reuse its window
      try { d.push(new Uint8Array(0), true); cb(); } catch (e) { cb(e as Error); }
    },
  });
}
