import { describe, expect, it } from 'vitest';
import { retryDelayMs, sleep } from './retry-policy.js';

describe('retry policy', () => {
  it('backs off base × 3^(n-1), capped', () => {
    const p = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(p, n))).toEqual([100, 300, 900, 1000]);
  });
  it('an abort ends the wait at once', async () => {
    const c = new AbortController();
    const t0 = Date.now();
    setTimeout(() => c.abort(), 20);
    await sleep(10_000, c.signal);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
