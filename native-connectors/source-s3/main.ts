import { runCli } from '../sdk/index.js';
import { sourceS3 } from './source-s3.js';

runCli(sourceS3);
