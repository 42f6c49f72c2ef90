import type { ConnectorSpecification } from '../../protocol/index.js';
import official from './spec.json' with { type: 'json' };

/**
 * spec.json is the official source-s3 4.15.2 spec, unchanged (from the Airbyte connector registry
 * snapshot of 2026-03-19), so every official config validates as it does there. airdock adds three
 * optional properties that the official connector ignores.
 */
const extras = {
  parallelism: { title: 'Parallelism (airdock)', description: 'How many objects are read at once. Default: the number of CPUs (at least 2, at most 8).', type: 'integer', minimum: 1, maximum: 64, order: 100 },
  path_style_access: { title: 'Path-style access (airdock)', description: 'Address the bucket as endpoint/bucket rather than bucket.endpoint. Default: on when an endpoint is set.', type: 'boolean', order: 101 },
  checksum_mode: { title: 'Checksums (airdock)', description: "WHEN_REQUIRED for S3-compatible stores that reject the AWS SDK's default CRC32 checksums.", type: 'string', enum: ['WHEN_SUPPORTED', 'WHEN_REQUIRED'], order: 102 },
};

const cs = official.connectionSpecification as unknown as { properties: Record<string, unknown> };
export const spec = {
  ...official,
  connectionSpecification: { ...cs, properties: { ...cs.properties, ...extras } },
} as unknown as ConnectorSpecification;
