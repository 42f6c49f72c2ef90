import { describe, expect, it } from 'vitest';
import { StreamEnds } from './stream-ends.js';

const status = (name: string, s: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE', namespace?: string) =>
  ({ stream_descriptor: namespace === undefined ? { name } : { name, namespace }, status: s });

describe('StreamEnds', () => {
  it('counts a stream without any status as complete (the end of the input is the only signal)', () => {
    expect(new StreamEnds().complete('users')).toBe(true);
  });

  it('follows the last status: COMPLETE is complete; INCOMPLETE, or only STARTED/RUNNING, is not', () => {
    const ends = new StreamEnds();
    ends.note(status('a', 'STARTED'));
    ends.note(status('b', 'RUNNING'));
    ends.note(status('b', 'COMPLETE'));
    ends.note(status('c', 'COMPLETE'));
    ends.note(status('c', 'INCOMPLETE'));
    expect([ends.complete('a'), ends.complete('b'), ends.complete('c')]).toEqual([false, true, false]);
  });

  it('keys streams by namespace and name; a null or empty namespace is no namespace', () => {
    const ends = new StreamEnds();
    ends.note(status('users', 'INCOMPLETE', 'public'));
    ends.note(status('orders', 'INCOMPLETE', ''));
    expect(ends.complete('users', 'public')).toBe(false);
    expect(ends.complete('users')).toBe(true);
    expect(ends.complete('orders', null)).toBe(false);
  });
});
