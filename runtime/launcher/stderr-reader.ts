import type { Readable } from 'node:stream';
import { LineSplitter } from '../../protocol/index.js';
import type { Logger } from '../log/logger.js';
import { clipLine, type RunTails } from './run-tails.js';

/**
 * Reads a connector's stderr to the end: every line goes to the logger and the tails. A line over
 * 1 MiB is dropped rather than failing the run; stderr is never the protocol.
 */
export function readStderr(stream: Readable, log: Logger, tails: RunTails): Promise<void> {
  return new Promise<void>((resolve) => {
    const splitter = new LineSplitter({ maxLineBytes: 1 << 20 });
    const onLine = (raw: Buffer) => {
      const text = clipLine(raw.toString('utf8'));
      tails.stderr.push(text);
      tails.log.push(text);
      log.info(text);
    };
    stream.on('data', (c: Buffer) => { try { splitter.push(c, onLine); } catch { /* an absurd stderr line is not worth failing for */ } });
    stream.on('end', () => { splitter.end(onLine); resolve(); });
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
  });
}
