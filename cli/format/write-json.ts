import { cliRedactor } from '../cli-redactor.js';
import { writeData } from '../redact-output.js';
import { redactJsonValues } from './redact-json-values.js';

/**
 * Prints a JSON document on stdout with the run's secrets masked in its string values, past the
 * output gate: the gate masks text, and a secret that is also a common word (an API key `status`, a
 * password `type`) would hit the document's keys too, which are airdock's own and hold no secret.
 */
export function writeJson(value: unknown, o: { pretty?: boolean } = {}): Promise<void> {
  const text = JSON.stringify(redactJsonValues(value, cliRedactor.redact), null, o.pretty ? 2 : undefined);
  return new Promise<void>((done) => {
    if (writeData(Buffer.from(`${text}\n`))) done();
    else process.stdout.once('drain', done);
  });
}
