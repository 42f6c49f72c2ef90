import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { demux } from './demux.js';

const frame = (type: number, payload: string) => {
  const body = Buffer.from(payload);
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
};

describe('demux', () => {
  it('splits frames into stdout and stderr across any chunk boundary', async () => {
    const wire = Buffer.concat([frame(1, 'out1\n'), frame(2, 'err1\n'), frame(1, 'é'.repeat(1000)), frame(2, ''), frame(1, '\nend')]);
    for (const size of [1, 3, 7, 8, 9, 100, wire.length]) {
      const src = new PassThrough();
      const { stdout, stderr, ended } = demux(src);
      const outP = text(stdout);
      const errP = text(stderr);
      for (let i = 0; i < wire.length; i += size) src.write(wire.subarray(i, i + size));
      src.end();
      await ended;
      expect(await outP).toBe(`out1\n${'é'.repeat(1000)}\nend`);
      expect(await errP).toBe('err1\n');
    }
  });

  it('applies backpressure: the source is not read while stdout is full', async () => {
    const src = new PassThrough({ highWaterMark: 16 * 1024 });
    const { stdout } = demux(src);
    const big = frame(1, 'x'.repeat(64 * 1024));
    let writes = 0;
    while (src.write(big) && writes < 1000) writes++;
    await new Promise((r) => setTimeout(r, 50));
    // Nobody reads stdout: the writes stopped after a few MB instead of buffering everything.
    expect(writes).toBeLessThan(100);
    expect(stdout.readableLength).toBeLessThan(8 * 1024 * 1024);
    stdout.resume();
  });
});
