import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import snappy from 'snappy';

type Callback = (e: Error | null, r?: Buffer) => void;
const sync = (fn: (b: Buffer) => Buffer) => (b: Buffer, cb: Callback) => { try { cb(null, fn(b)); } catch (e) { cb(e as Error); } };

/** Avro's snappy block: the snappy-compressed bytes followed by the big-endian CRC32 of the uncompressed block. */
export const snappyBlock = {
  compress(b: Buffer): Buffer {
    const c = snappy.compressSync(b);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(b) >>> 0);
    return Buffer.concat([c, crc]);
  },
  decompress(b: Buffer): Buffer {
    const out = snappy.uncompressSync(b.subarray(0, b.length - 4), { asBuffer: true }) as Buffer;
    if ((crc32(out) >>> 0) !== b.readUInt32BE(b.length - 4)) throw new Error('snappy block checksum mismatch');
    return out;
  },
};

/** Codecs for reading Avro container files: null, deflate, snappy, zstandard. */
export const avroDecoders = {
  null: sync((b) => b),
  deflate: sync(inflateRawSync),
  snappy: sync(snappyBlock.decompress),
  zstandard: sync((b) => Buffer.from(zstdDecompress(b))),
};

/** Codecs for writing: null, deflate (at a level), snappy. */
export function avroEncoders(deflateLevel?: number): Record<string, (b: Buffer, cb: Callback) => void> {
  return {
    null: sync((b) => b),
    deflate: sync((b) => deflateRawSync(b, deflateLevel === undefined ? {} : { level: deflateLevel })),
    snappy: sync(snappyBlock.compress),
  };
}
