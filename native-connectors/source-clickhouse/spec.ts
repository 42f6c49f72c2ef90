import type { ConnectorSpecification } from '../../protocol/index.js';
import specJson from './spec.json' with { type: 'json' };

/**
 * The spec of airbyte/source-clickhouse 0.2.x, unchanged (vendored from airbytehq/airbyte,
 * source-clickhouse/src/test-integration/resources/expected_spec.json; its documentationUrl pointed at
 * the destination page and now points at the source's), so an official config works as it is.
 */
export const spec = specJson as unknown as ConnectorSpecification;
