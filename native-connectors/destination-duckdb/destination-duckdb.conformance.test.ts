import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDestinationConformance } from '../sdk/testing/index.js';
import { destinationDuckdb } from './destination-duckdb.js';

describeDestinationConformance('native:destination-duckdb (in-process)', { kind: 'definition', definition: destinationDuckdb }, {
  config: { destination_path: join(mkdtempSync(join(tmpdir(), 'airdock-duckdb-')), 'conformance.duckdb') },
});
