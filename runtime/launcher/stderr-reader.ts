import type { Readable } from 'node:stream';
import type { Logger } from '../log/logger.js';
import { clipLine, type RunTails } from './run-tails.js';

/** The most of one stderr line kept in memory; the rest of a longer line is counted, not kept. */
export const STDERR_LINE_CAP = 1 << 20;

/**
 * Reads a connector's stderr to the end: every line goes to the logger and the tails. A line over
 * `STDERR_LINE_CAP` bytes is kept up to the cap and logged with a note of its real length, so a
 * connector printing a gigabyte without a newline costs at most the cap in memory; stderr is never the
 * protocol, so no length fails the run.
 */
export function readStderr(stream: Readable, log: Logger, tails: RunTails, cap = STDERR_LINE_CAP): Promise<void> {
  return new Promise<void>((resolve) => {
    let held: Buffer[] = [];
    let heldBytes = 0;
    let lineBytes = 0;
    const emit = () => {
      let text = Buffer.concat(held).toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      text = clipLine(text);
      if (lineBytes > heldBytes) text += ` [stderr line of ${lineBytes} bytes truncated]`;
      held = [];
      heldBytes = 0;
      lineBytes = 0;
      tails.stderr.push(text);
      tails.log.push(text);
      log.info(text);
    };
    const keep = (part: Buffer) => {
      lineBytes += part.length;
      const room = cap - heldBytes;
      if (room <= 0) return;
      // A copy: a slice would pin the whole chunk it came from.
      const kept = Buffer.from(part.subarray(0, room));
      held.push(kept);
      heldBytes += kept.length;
    };
    stream.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        keep(chunk.subarray(start, nl));
        emit();
        start = nl + 1;
      }
      if (start < chunk.length) keep(chunk.subarray(start));
    });
    const finish = () => {
      if (lineBytes > 0) emit();
      resolve();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', () => resolve());
  });
}
