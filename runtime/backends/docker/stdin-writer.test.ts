import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { stdinWriter } from './stdin-writer.js';

/** An attach socket that takes one chunk at a time (every write is backpressured). */
function slowSocket(): { socket: Duplex; received: () => number } {
  let n = 0;
  const socket = new Duplex({
    highWaterMark: 1,
    read() {},
    write(_chunk, _enc, cb) { n++; setImmediate(cb); },
  });
  return { socket, received: () => n };
}

describe('stdinWriter', () => {
  it('leaves no listener behind per backpressure wait over a long write', async () => {
    const { socket, received } = slowSocket();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const stdin = stdinWriter(socket);
    for (let i = 0; i < 500; i++) {
      if (!stdin.write(Buffer.from('{"type":"RECORD"}\n'))) await new Promise((r) => stdin.once('drain', r));
    }
    await new Promise<void>((r) => stdin.end(r));
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(received()).toBe(500);
    expect(socket.listenerCount('close')).toBeLessThanOrEqual(2);
    expect(socket.listenerCount('drain')).toBe(0);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('lets a waiting write go when the socket closes (the container died)', { timeout: 5_000 }, async () => {
    const socket = new Duplex({ highWaterMark: 1, read() {}, write() { /* never takes the chunk */ } });
    const stdin = stdinWriter(socket);
    stdin.write(Buffer.alloc(10));
    stdin.write(Buffer.alloc(10));
    const done = new Promise<void>((r) => stdin.end(r));
    socket.destroy();
    await done;
    expect(stdin.writableFinished).toBe(true);
  });
});
