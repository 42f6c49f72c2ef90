import { runCli } from '../sdk/index.js';
import { destinationLocalJson } from './destination-local-json.js';

runCli(destinationLocalJson);
