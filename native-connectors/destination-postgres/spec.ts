import type { ConnectorSpecification } from '../../protocol/index.js';
import official from './spec.json' with { type: 'json' };

/**
 * The official destination-postgres 3.0.11 spec, unchanged (spec.json is vendored from the registry;
 * test/unit/postgres-spec-vendored.test.ts keeps it equal), plus one optional extra of ours.
 */
export const spec = {
  ...official,
  connectionSpecification: {
    ...official.connectionSpecification,
    properties: {
      ...official.connectionSpecification.properties,
      batch_size: {
        title: 'Batch size (airdock)', type: 'integer', minimum: 1, default: 100000, order: 100, group: 'advanced',
        description: 'Records per transaction (airdock extra; the official connector ignores it). A STATE is acknowledged after the transaction holding the records before it commits, at least every second.',
      },
    },
  },
} as unknown as ConnectorSpecification;
