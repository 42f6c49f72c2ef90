import { compressFrame, decompressFrame } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import kafkajs from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';

const { CompressionCodecs, CompressionTypes } = kafkajs;

/**
 * kafkajs ships gzip only; Snappy, LZ4 and ZSTD are codecs one registers. A consumer needs them as
 * soon as any producer compressed with them, so both connectors register all of them at start.
 * LZ4 is the LZ4 frame format Kafka uses (lz4-napi, prebuilt); ZSTD is @mongodb-js/zstd (prebuilt).
 */
export function registerCompressionCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: (encoder: { buffer: Buffer }) => compressFrame(encoder.buffer),
    decompress: (buffer: Buffer) => decompressFrame(buffer),
  });
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: (encoder: { buffer: Buffer }) => zstdCompress(encoder.buffer, 3),
    decompress: (buffer: Buffer) => zstdDecompress(buffer),
  });
}

/** The spec's compression_type values. */
export const COMPRESSION_TYPES: Record<string, number> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};
