import { ConfigValidationError } from '../../protocol/index.js';

/** The official destination-s3 (1.x) config, as far as airdock reads it. */
export type CompressionType = 'No Compression' | 'GZIP';

export type FormatConfig =
  | { format_type: 'CSV'; flattening?: 'No flattening' | 'Root level flattening'; compression?: { compression_type: CompressionType } }
  | { format_type: 'JSONL'; flattening?: 'No flattening' | 'Root level flattening'; compression?: { compression_type: CompressionType } }
  | { format_type: 'Parquet'; compression_codec?: 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP' | 'LZO' | 'BROTLI' | 'LZ4' | 'ZSTD'; block_size_mb?: number; page_size_kb?: number; dictionary_encoding?: boolean; dictionary_page_size_kb?: number; max_padding_size_mb?: number }
  | { format_type: 'Avro'; compression_codec?: { codec: 'no compression' | 'Deflate' | 'bzip2' | 'xz' | 'zstandard' | 'snappy'; compression_level?: number; include_checksum?: boolean } };

export interface DestinationS3Config {
  s3_bucket_name: string;
  s3_bucket_path: string;
  s3_bucket_region?: string;
  format: FormatConfig;
  access_key_id?: string;
  secret_access_key?: string;
  role_arn?: string;
  s3_endpoint?: string;
  s3_path_format?: string;
  file_name_pattern?: string;
  // airdock additions
  path_style_access?: boolean;
  checksum_mode?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
  file_size_mb?: number;
  part_size_mb?: number;
  upload_concurrency?: number;
  flush_interval_seconds?: number;
}

/** The object's extension, compression included (`csv.gz`), as the official connector names files. */
export function extensionOf(f: FormatConfig): string {
  switch (f.format_type) {
    case 'CSV': return f.compression?.compression_type === 'GZIP' ? 'csv.gz' : 'csv';
    case 'JSONL': return f.compression?.compression_type === 'GZIP' ? 'jsonl.gz' : 'jsonl';
    case 'Parquet': return 'parquet';
    case 'Avro': return 'avro';
  }
}

export const flattens = (f: FormatConfig): boolean =>
  (f.format_type === 'CSV' || f.format_type === 'JSONL') && f.flattening === 'Root level flattening';

export const gzips = (f: FormatConfig): boolean =>
  (f.format_type === 'CSV' || f.format_type === 'JSONL') && f.compression?.compression_type === 'GZIP';

export type AvroCodec = 'null' | 'deflate' | 'snappy';

/** The Avro codec for the official `compression_codec` block; xz, bzip2 and zstandard fail the config. */
export function avroCodec(f: Extract<FormatConfig, { format_type: 'Avro' }>): { codec: AvroCodec; level?: number } {
  const c = f.compression_codec?.codec ?? 'no compression';
  if (c === 'no compression') return { codec: 'null' };
  if (c === 'Deflate') return { codec: 'deflate', level: f.compression_codec?.compression_level ?? 0 };
  if (c === 'snappy') return { codec: 'snappy' };
  throw new ConfigValidationError([{ path: '/format/compression_codec/codec', message: `${c} is not supported by native:destination-s3 (no compression, Deflate and snappy are)` }]);
}

const CODECS: Record<string, string> = { UNCOMPRESSED: 'uncompressed', SNAPPY: 'snappy', GZIP: 'gzip', ZSTD: 'zstd', BROTLI: 'brotli', LZ4: 'lz4_raw' };

/** DuckDB's name for the official Parquet `compression_codec`; LZO fails the config. */
export function parquetCodec(c: string | undefined): string {
  const codec = CODECS[c ?? 'UNCOMPRESSED'];
  if (!codec) throw new ConfigValidationError([{ path: '/format/compression_codec', message: `${c} is not supported by native:destination-s3 (UNCOMPRESSED, SNAPPY, GZIP, ZSTD, BROTLI and LZ4 are)` }]);
  return codec;
}
