import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../protocol/index.js';
import { abortable } from './abortable.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function* items(n: number, refs: WeakRef<object>[]): AsyncGenerator<object> {
  for (let i = 0; i < n; i++) {
    const item = { i, payload: Buffer.alloc(1024) };
    refs.push(new WeakRef(item));
    yield item;
  }
}

describe('abortable', () => {
  it('keeps no item alive once the consumer is done with it (memory stays flat over a long input)', async () => {
    const controller = new AbortController();
    const refs: WeakRef<object>[] = [];
    let seen = 0;
    for await (const item of abortable(items(5_000, refs), controller.signal)) if (item) seen++;
    await new Promise((r) => setImmediate(r));
    gc();
    expect(seen).toBe(5_000);
    // the signal is still alive (the sync goes on): items must not hang off it
    expect(refs.filter((r) => r.deref() !== undefined).length).toBeLessThan(10);
    expect(controller.signal.aborted).toBe(false);
  });

  it('ends with AbortedError when the signal fires while the input is silent', async () => {
    const controller = new AbortController();
    async function* silent(): AsyncGenerator<number> { yield 1; await new Promise(() => {}); }
    const got: number[] = [];
    const run = (async () => { for await (const v of abortable(silent(), controller.signal)) { got.push(v); controller.abort(); } })();
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(got).toEqual([1]);
  });

  it('fails at once on a signal that already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = (async () => { for await (const v of abortable(items(3, []), controller.signal)) void v; })();
    await expect(run).rejects.toBeInstanceOf(AbortedError);
  });
});
