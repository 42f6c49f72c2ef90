import { describe, expect, it } from 'vitest';
import { StateSet, stateFileValue, streamKey } from '../index.js';
import { parseJson, stringifyJson } from '../json/lossless-json.js';
import type { AirbyteStateMessage } from '../generated/types.js';

const streamState = (name: string, cursor: number | null, namespace?: string): AirbyteStateMessage => ({
  type: 'STREAM',
  stream: { stream_descriptor: namespace === undefined ? { name } : { name, namespace }, stream_state: cursor === null ? (null as never) : { cursor } },
});

describe('StateSet', () => {
  it('keeps the latest state per stream, keyed by namespace and name', () => {
    const set = StateSet.from([streamState('users', 1, 'a'), streamState('users', 1, 'b'), streamState('users', 2, 'a'), streamState('users', 7)]);
    expect(set.toArray()).toEqual([streamState('users', 2, 'a'), streamState('users', 1, 'b'), streamState('users', 7)]);
    expect(streamKey({ name: 'users' })).not.toBe(streamKey({ name: 'users', namespace: '' }));
  });

  it('drops per-run bookkeeping (id, stats) from what it stores', () => {
    const set = StateSet.from([{ ...streamState('s', 1), id: 3, sourceStats: { recordCount: 5 }, destinationStats: { recordCount: 5 } } as AirbyteStateMessage]);
    expect(set.toArray()).toEqual([streamState('s', 1)]);
  });

  it('resets a stream on a null stream_state, and on request', () => {
    const set = StateSet.from([streamState('a', 1), streamState('b', 1), streamState('a', null)]);
    expect(set.toArray()).toEqual([streamState('b', 1)]);
    set.resetStreams([streamKey({ name: 'b' })]);
    expect(set.isEmpty).toBe(true);
  });

  it('replaces GLOBAL and LEGACY states whole and refuses to mix kinds', () => {
    const g = (n: number): AirbyteStateMessage => ({ type: 'GLOBAL', global: { shared_state: { lsn: n }, stream_states: [{ stream_descriptor: { name: 'a' }, stream_state: { c: n } }] } });
    const set = StateSet.from([g(1), g(2)]);
    expect(set.toArray()).toEqual([g(2)]);
    expect(() => set.apply(streamState('a', 1))).toThrow(/mix state types/);
    const legacy = StateSet.from([{ data: { a: 1 } }, { data: { a: 2 } }]);
    expect(legacy.kind).toBe('LEGACY');
    expect(stateFileValue(legacy.toArray())).toEqual({ a: 2 });
  });

  it('round-trips big numbers exactly through parse, merge and write', () => {
    const text = '{"type":"GLOBAL","global":{"shared_state":{"lsn":123456789012345678901},"stream_states":[]}}';
    const set = StateSet.from([parseJson(text) as AirbyteStateMessage]);
    expect(stringifyJson(set.toArray())).toBe(`[${text}]`);
  });
});
