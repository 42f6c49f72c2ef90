import type { ConnectorSpecification } from '../../protocol/index.js';
import specJson from './spec.json' with { type: 'json' };

// JSON stays the source of truth so the spec can be diffed against the reference connector's.
export const spec = specJson as unknown as ConnectorSpecification;
