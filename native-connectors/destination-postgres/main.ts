import { runCli } from '../sdk/index.js';
import { destinationPostgres } from './destination-postgres.js';

runCli(destinationPostgres);
