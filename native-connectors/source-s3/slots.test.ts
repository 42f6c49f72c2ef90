import { describe, expect, it } from 'vitest';
import { Slots } from './slots.js';

describe('Slots', () => {
  it('lets at most `size` holders in at once, the others in arrival order', async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    let inside = 0;
    let most = 0;
    const hold = async (name: string, ms: number) => {
      const release = await slots.acquire();
      order.push(name);
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, ms));
      inside--;
      release();
      release(); // a second call gives nothing back twice
    };
    await Promise.all([hold('a', 20), hold('b', 5), hold('c', 5), hold('d', 5), hold('e', 5)]);
    expect(most).toBe(2);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
    // every slot came back
    const all = await Promise.all([slots.acquire(), slots.acquire()]);
    expect(all).toHaveLength(2);
  });
});
