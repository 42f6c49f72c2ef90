import { runCli } from '../sdk/index.js';
import { destinationKafka } from './destination-kafka.js';

runCli(destinationKafka);
