import { runCli } from '../sdk/index.js';
import { destinationS3 } from './destination-s3.js';

runCli(destinationS3);
