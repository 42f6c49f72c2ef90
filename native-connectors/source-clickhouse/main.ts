import { runCli } from '../sdk/index.js';
import { sourceClickhouse } from './source-clickhouse.js';

runCli(sourceClickhouse);
