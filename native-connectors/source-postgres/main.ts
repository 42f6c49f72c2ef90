import { runCli } from '../sdk/index.js';
import { sourcePostgres } from './source-postgres.js';

runCli(sourcePostgres);
