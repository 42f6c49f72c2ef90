import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDestinationConformance } from '../sdk/testing/index.js';
import { destinationLocalJson } from './destination-local-json.js';

describeDestinationConformance('native:destination-local-json (in-process)', { kind: 'definition', definition: destinationLocalJson }, {
  config: { destination_path: join(mkdtempSync(join(tmpdir(), 'airdock-json-')), 'out') },
});
