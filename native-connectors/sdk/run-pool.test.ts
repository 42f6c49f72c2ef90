import { describe, expect, it } from 'vitest';
import { ContiguousProgress } from './contiguous-progress.js';
import { runPool } from './run-pool.js';

describe('runPool', () => {
  it('never runs more than `concurrency` tasks at once and runs them all', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(n);
      running--;
    }, { concurrency: 3 });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('aborts the siblings of a failed task and rethrows its error after they settle', async () => {
    const aborted: number[] = [];
    let started = 0;
    const failure = runPool([0, 1, 2, 3, 4, 5], async (n, signal) => {
      started++;
      if (n === 1) throw new Error('boom');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        signal.addEventListener('abort', () => { clearTimeout(t); aborted.push(n); resolve(); });
      });
    }, { concurrency: 2 });
    await expect(failure).rejects.toThrow('boom');
    expect(aborted).toEqual([0]);
    expect(started).toBe(2);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const p = runPool([1, 2, 3], async (_n, signal) => {
      controller.abort(new Error('cancelled'));
      signal.throwIfAborted();
    }, { concurrency: 1, signal: controller.signal });
    await expect(p).rejects.toThrow('cancelled');
  });
});

describe('ContiguousProgress', () => {
  it('reports only the gap-free prefix', () => {
    const p = new ContiguousProgress();
    expect(p.complete(2)).toBeUndefined();
    expect(p.complete(1)).toBeUndefined();
    expect(p.complete(0)).toBe(2);
    expect(p.complete(3)).toBe(3);
    expect(p.complete(3)).toBeUndefined();
    expect(p.doneCount).toBe(4);
  });
});
