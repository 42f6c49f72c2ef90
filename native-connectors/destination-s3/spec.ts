import type { ConnectorSpecification } from '../../protocol/index.js';
import official from './spec.json' with { type: 'json' };

/**
 * spec.json is the official destination-s3 1.9.7 spec, unchanged (from the Airbyte connector registry
 * snapshot of 2026-03-19; checked by test/unit/s3-specs-vendored.test.ts), so every official config
 * validates as it does there. airdock adds optional properties that the official connector ignores.
 */
const extras = {
  path_style_access: { title: 'Path-style access (airdock)', description: 'Address the bucket as endpoint/bucket rather than bucket.endpoint. Default: on when an endpoint is set.', type: 'boolean', order: 100 },
  checksum_mode: { title: 'Checksums (airdock)', description: "WHEN_REQUIRED for S3-compatible stores that reject the AWS SDK's default CRC32 checksums.", type: 'string', enum: ['WHEN_SUPPORTED', 'WHEN_REQUIRED'], order: 101 },
  file_size_mb: { title: 'File size (airdock)', description: 'Start a new object once this many MiB were written to one (before compression). Default 200.', type: 'integer', minimum: 1, order: 102 },
  part_size_mb: { title: 'Multipart part size (airdock)', description: 'MiB per uploaded part (at least 5). Default 8.', type: 'integer', minimum: 5, maximum: 5120, order: 103 },
  upload_concurrency: { title: 'Upload concurrency (airdock)', description: 'Parts uploaded at once per object. Default 4.', type: 'integer', minimum: 1, maximum: 64, order: 104 },
  flush_interval_seconds: { title: 'Flush interval (airdock)', description: 'Complete the open objects (and acknowledge the states before them) at most this often. Default 60.', type: 'integer', minimum: 1, order: 105 },
};

const cs = official.connectionSpecification as unknown as { properties: Record<string, unknown> };
export const spec = {
  ...official,
  connectionSpecification: { ...cs, properties: { ...cs.properties, ...extras } },
} as unknown as ConnectorSpecification;
