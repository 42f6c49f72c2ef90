import { TailBuffer } from './tail-buffer.js';

/**
 * What a run keeps of what the connector said, for error reports: its last stderr lines, and its
 * last log lines (LOG messages, TRACE errors and stderr, in arrival order).
 */
export class RunTails {
  readonly stderr = new TailBuffer(200);
  readonly log = new TailBuffer(20);
}

/** Long lines are cut in logs and tails: a connector dumping a blob must not flood the terminal. */
export function clipLine(s: string): string {
  return s.length > 2000 ? `${s.slice(0, 2000)}… (${s.length} chars)` : s;
}
