import type { ConnectorSpecification } from '../../protocol/index.js';
import specJson from './spec.json' with { type: 'json' };

/**
 * The official spec, vendored unchanged so official configs validate as they are: the `spec` of
 * airbyte/destination-kafka 0.1.11 in the Airbyte connector registry (test/unit/kafka-specs.test.ts keeps it equal).
 */
export const spec = specJson as unknown as ConnectorSpecification;
