import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Logger } from '../log/logger.js';
import { RunTails } from './run-tails.js';
import { readStderr } from './stderr-reader.js';

describe('readStderr', () => {
  it('keeps at most the cap of one line, notes its real length, and goes on with the next lines', async () => {
    const lines: string[] = [];
    const log = new Logger({ level: 'info', write: (l) => lines.push(l) });
    const tails = new RunTails();
    const stream = new PassThrough();
    const done = readStderr(stream, log, tails, 1024);
    for (let i = 0; i < 100; i++) stream.write(Buffer.alloc(1000, 0x78));
    stream.write('\nnext line\r\nlast without newline');
    stream.end();
    await done;
    const kept = tails.stderr.last(10);
    expect(kept).toHaveLength(3);
    expect(kept[0]).toMatch(/^x{1024}… \(1024 chars\)|^x{1024} \[/);
    expect(kept[0]).toContain('[stderr line of 100000 bytes truncated]');
    expect(kept.slice(1)).toEqual(['next line', 'last without newline']);
    expect(lines).toHaveLength(3);
  });
});
