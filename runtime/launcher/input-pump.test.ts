import { Writable, PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ConnectorProcess } from './backend.js';
import { pumpInput } from './input-pump.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * A connector that reads slowly (every write makes the pump wait for 'drain') and never exits, and
 * that measures the heap, after a full GC, while the pump is still running.
 */
function slowReader(measureAt: number[]): { proc: ConnectorProcess; heap: Map<number, number>; written: () => number } {
  let n = 0;
  const heap = new Map<number, number>();
  const stdin = new Writable({
    highWaterMark: 1,
    write(_chunk, _enc, cb) {
      n++;
      if (measureAt.includes(n)) { gc(); heap.set(n, process.memoryUsage().heapUsed); }
      setImmediate(cb);
    },
  });
  const proc = {
    stdin, stdout: new PassThrough(), stderr: new PassThrough(),
    wait: () => new Promise(() => {}),
    terminate: async () => ({ code: 0, signal: null }),
    [Symbol.asyncDispose]: async () => {},
  } as unknown as ConnectorProcess;
  return { proc, heap, written: () => n };
}

async function* chunks(count: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.from('{"type":"RECORD"}\n');
  for (let i = 0; i < count; i++) yield chunk;
}

describe('pumpInput', () => {
  it('holds no memory per backpressure wait: a long input to a slow connector stays flat', async () => {
    const { proc, heap, written } = slowReader([10_000, 200_000]);
    await pumpInput(proc, chunks(200_000), { onActivity: () => {}, onFailure: (e) => { throw e; } });
    expect(written()).toBe(200_000);
    expect(heap.get(200_000)! - heap.get(10_000)!).toBeLessThan(8 * 1024 * 1024);
  });
});
