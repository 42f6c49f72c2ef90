import { runCli } from '../sdk/index.js';
import { sourceFaker } from './source-faker.js';

runCli(sourceFaker);
