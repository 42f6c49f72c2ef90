import { describe, expect, it } from 'vitest';
import { writeUuidV4 } from './write-uuid-v4.js';

describe('writeUuidV4', () => {
  it('writes version 4 UUIDs at the offset, each different', () => {
    const out = Buffer.alloc(40 * 3000, 0x78);
    const seen = new Set<string>();
    // More than one pool of random bytes, so the refill is covered.
    for (let i = 0; i < 3000; i++) {
      expect(writeUuidV4(out, i * 40 + 2)).toBe(36);
      const id = out.toString('latin1', i * 40 + 2, i * 40 + 38);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(out.toString('latin1', i * 40, i * 40 + 2)).toBe('xx');
      seen.add(id);
    }
    expect(seen.size).toBe(3000);
  });
});
