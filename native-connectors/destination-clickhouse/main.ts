import { runCli } from '../sdk/index.js';
import { destinationClickhouse } from './destination-clickhouse.js';

runCli(destinationClickhouse);
