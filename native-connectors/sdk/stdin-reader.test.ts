import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { StdinReader } from './stdin-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'airdock-stdin-reader-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fifos = 0;
/** A reader on a named pipe that `cat` writes `input` into, as a shell pipe feeds a destination. */
function feed(input: Buffer, areaBytes?: number): { reader: StdinReader; written: Promise<void> } {
  const file = join(dir, `input-${fifos}`);
  const fifo = join(dir, `fifo-${fifos++}`);
  writeFileSync(file, input);
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const out = openSync(fifo, 'w');
  const cat = spawn('cat', [file], { stdio: ['ignore', out, 'inherit'] });
  closeSync(out);
  const written = new Promise<void>((resolve, reject) => cat.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cat ${code}`)))));
  return { reader: StdinReader.open(fd, areaBytes)!, written };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('StdinReader', () => {
  it('reads on while the destination holds a chunk: the writer is not blocked on the pipe', async () => {
    // 1 MiB, far more than a pipe holds (64 KiB): `cat` can only finish while we wait if the reader
    // takes it into its areas meanwhile.
    const input = Buffer.alloc(1 << 20, 'x');
    const { reader, written } = feed(input);
    const it = reader.views()[Symbol.asyncIterator]();
    const first = await it.next();
    const held = Buffer.from(first.value as Buffer);
    await Promise.race([written, sleep(5_000).then(() => { throw new Error('the writer is still blocked on the pipe'); })]);
    expect((first.value as Buffer).equals(held)).toBe(true);
    const parts = [held];
    for (let r = await it.next(); !r.done; r = await it.next()) parts.push(Buffer.from(r.value));
    expect(Buffer.concat(parts).equals(input)).toBe(true);
    // What came in while the destination waited is handed out in few chunks, not one per read.
    expect(parts.length).toBeLessThan(8);
  });

  it('never writes into the chunk the destination holds, its areas filling, stopping and taking turns', async () => {
    // Small areas (64 KiB, reads of up to 16 KiB) and a destination that often waits: reading moves
    // between the two areas and stops when both are in use, many times over.
    const lines: string[] = [];
    for (let i = 0; lines.length < 40_000; i++) lines.push(`{"i":${i},"s":"${'é✓x'.repeat(i % 23)}"}`);
    const input = Buffer.from(`${lines.join('\n')}\n`);
    const { reader } = feed(input, 64 << 10);
    const parts: Buffer[] = [];
    let n = 0;
    for await (const view of reader.views()) {
      const before = sha(view);
      if (n++ % 3 === 0) await sleep(n % 2); // reads go on into the other area (or stop) meanwhile
      expect(sha(view)).toBe(before);
      parts.push(Buffer.from(view));
    }
    expect(Buffer.concat(parts).equals(input)).toBe(true);
  });

  it('iterated directly, yields copies that stay intact', async () => {
    const input = Buffer.from('0123456789'.repeat(50_000));
    const { reader } = feed(input, 64 << 10);
    const kept: Buffer[] = [];
    for await (const chunk of reader) kept.push(chunk);
    expect(Buffer.concat(kept).equals(input)).toBe(true);
  });
});
