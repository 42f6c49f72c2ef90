import { runCli } from '../sdk/index.js';
import { destinationDuckdb } from './destination-duckdb.js';

runCli(destinationDuckdb);
