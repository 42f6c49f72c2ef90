import { isAirdockError } from '../protocol/errors/index.js';
import { loadOptions } from '../runtime/options.js';
import { cliRedactor } from './cli-redactor.js';

/**
 * Prints one clear line for a failure and returns the exit code: 2 for usage and config errors,
 * 130 for an interrupt, 1 for everything else. Never prints a stack unless AIRDOCK_DEBUG=1,
 * because a stack says nothing to a user and may carry values we did not mean to show.
 */
export function reportError(err: unknown, stream: NodeJS.WritableStream = process.stderr, redact: (text: string) => string = cliRedactor.redact): number {
  const { debug } = loadOptions();
  if (isAirdockError(err)) {
    stream.write(redact(`error ${err.describe()}\n`));
    if (debug && err.stack) stream.write(`${err.stack}\n`);
    if (err.code === 'AIRDOCK_ABORTED') return 130;
    return err.family === 'config' || err.failureType === 'config_error' && err.family !== 'connector' ? 2 : 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  stream.write(redact(`error AIRDOCK_INTERNAL: unexpected failure: ${message}. Please report this with AIRDOCK_DEBUG=1 output\n`));
  if (debug && err instanceof Error && err.stack) stream.write(`${err.stack}\n`);
  return 1;
}
