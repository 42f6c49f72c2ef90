import { posix } from 'node:path';
import type { JobFile } from './backend.js';
import { stringifyJson } from '../../protocol/index.js';

export type ConnectorCommand = 'spec' | 'check' | 'discover' | 'read' | 'write';

export interface JobInputs {
  config?: unknown;
  catalog?: unknown;
  /** A JSON array of AirbyteStateMessage (or a legacy blob). Omitted: no `--state` flag, as the platform does. */
  state?: unknown;
}

/**
 * The Airbyte argv for a command, with job file paths inside `jobDir`, and the files themselves.
 * Lossless stringify: a state may carry numbers beyond 2^53 that must reach the connector unchanged.
 */
export function buildJob(command: ConnectorCommand, jobDir: string, inputs: JobInputs): { argv: string[]; files: JobFile[] } {
  const argv: string[] = [command];
  const files: JobFile[] = [];
  const add = (flag: string, name: string, value: unknown) => {
    files.push({ name, contents: stringifyJson(value) });
    argv.push(flag, posix.join(jobDir, name));
  };
  if (command !== 'spec') {
    if (inputs.config === undefined) throw new TypeError(`${command} needs a config`);
    add('--config', 'config.json', inputs.config);
  }
  if (command === 'read' || command === 'write') {
    if (inputs.catalog === undefined) throw new TypeError(`${command} needs a catalog`);
    add('--catalog', 'catalog.json', inputs.catalog);
  }
  if (command === 'read' && inputs.state !== undefined) add('--state', 'state.json', inputs.state);
  return { argv, files };
}
