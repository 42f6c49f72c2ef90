import type { ConnectorSpecification } from '../../protocol/index.js';
import specJson from './spec.json' with { type: 'json' };

export const spec = specJson as unknown as ConnectorSpecification;
