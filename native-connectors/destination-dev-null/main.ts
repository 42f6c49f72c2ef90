import { runCli } from '../sdk/index.js';
import { destinationDevNull } from './destination-dev-null.js';

runCli(destinationDevNull);
