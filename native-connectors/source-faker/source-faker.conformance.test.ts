import { describeSourceConformance } from '../sdk/testing/index.js';
import { sourceFaker } from './source-faker.js';

describeSourceConformance('native:source-faker (in-process)', { kind: 'definition', definition: sourceFaker }, {
  config: { count: 50, seed: 7, records_per_slice: 20, always_updated: false },
});
