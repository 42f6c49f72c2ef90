import { describeDestinationConformance } from '../sdk/testing/index.js';
import { destinationDevNull } from './destination-dev-null.js';

describeDestinationConformance('native:destination-dev-null (in-process)', { kind: 'definition', definition: destinationDevNull }, {
  config: { test_destination: { test_destination_type: 'SILENT' } },
});
