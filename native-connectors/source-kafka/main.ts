import { runCli } from '../sdk/index.js';
import { sourceKafka } from './source-kafka.js';

runCli(sourceKafka);
