import type { ConnectorSpecification } from '../../protocol/index.js';
import specJson from './spec.json' with { type: 'json' };

/**
 * The spec of airbyte/destination-clickhouse 2.1.23 (from the official registry, 2026-03-19 snapshot),
 * unchanged, plus airdock's optional properties (titles marked "(airdock)"): an official config is
 * accepted as it is.
 */
export const spec = specJson as unknown as ConnectorSpecification;
