import { reportError } from '../../cli/report-error.js';

/**
 * What a user sees for an error: the one line the CLI prints (`error <CODE>: <what> (<facts>). <hint>`)
 * and the exit code it ends with. Tests that check an error's type check this too.
 */
export function userSees(err: unknown): { line: string; exit: number } {
  let line = '';
  const stream = { write: (s: string) => { line += s; return true; } } as unknown as NodeJS.WritableStream;
  const exit = reportError(err, stream, (text) => text);
  return { line: line.trimEnd(), exit };
}
