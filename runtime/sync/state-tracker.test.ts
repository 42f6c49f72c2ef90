import { describe, expect, it } from 'vitest';
import { StateSet, parseJson, streamKey, type AirbyteStateMessage } from '../../protocol/index.js';
import { StateTracker } from './state-tracker.js';
import { SyncStats } from './sync-stats.js';

const st = (name: string, cursor: number, namespace?: string): AirbyteStateMessage => ({
  type: 'STREAM', stream: { stream_descriptor: namespace === undefined ? { name } : { name, namespace }, stream_state: { cursor } },
});

function setup() {
  const stats = new SyncStats();
  const warnings: string[] = [];
  const tracker = new StateTracker(new StateSet(), stats, (m) => warnings.push(m));
  const rec = (name: string, n: number, namespace?: string) => { for (let i = 0; i < n; i++) tracker.record(stats.of(name, namespace), 10); };
  return { stats, tracker, warnings, rec };
}

describe('StateTracker', () => {
  it('numbers source states and counts records per stream since that stream\'s previous state', () => {
    const { tracker, rec } = setup();
    rec('a', 3);
    rec('b', 2);
    const s1 = tracker.sourceState(st('a', 3)) as AirbyteStateMessage & { id: number };
    rec('a', 1);
    const s2 = tracker.sourceState(st('b', 2)) as AirbyteStateMessage & { id: number };
    const s3 = tracker.sourceState(st('a', 4)) as AirbyteStateMessage & { id: number };
    expect([s1.id, s2.id, s3.id]).toEqual([1, 2, 3]);
    expect([s1.sourceStats?.recordCount, s2.sourceStats?.recordCount, s3.sourceStats?.recordCount]).toEqual([3, 2, 1]);
  });

  it('keeps a recordCount the source already set', () => {
    const { tracker, rec } = setup();
    rec('a', 3);
    expect(tracker.sourceState({ ...st('a', 1), sourceStats: { recordCount: 7 } }).sourceStats?.recordCount).toBe(7);
  });

  it('commits only echoed states, and the record buckets up to the echoed id', () => {
    const { tracker, stats, rec } = setup();
    rec('a', 5);
    const s1 = tracker.sourceState(st('a', 5));
    rec('a', 5);
    tracker.sourceState(st('a', 10));
    expect(tracker.committed.isEmpty).toBe(true);
    expect(tracker.ack({ ...s1, destinationStats: { recordCount: 5 } })).toBe(true);
    expect(tracker.committed.toArray()).toEqual([st('a', 5)]);
    expect(stats.of('a', undefined).recordsCommitted).toBe(5);
    expect(tracker.pendingCount).toBe(1);
    expect(tracker.takeDirty()).toBe(true);
    expect(tracker.takeDirty()).toBe(false);
  });

  it('an echo of a later id commits earlier record buckets too (skipped echoes are allowed)', () => {
    const { tracker, stats, rec } = setup();
    rec('a', 2); tracker.sourceState(st('a', 2));
    rec('b', 3); const sb = tracker.sourceState(st('b', 3));
    tracker.ack(sb);
    expect(stats.recordsCommitted).toBe(5);
    // Only the echoed state is committed: a's state was never acknowledged.
    expect(tracker.committed.toArray()).toEqual([st('b', 3)]);
  });

  it('matches an echo without id by content, then by position', () => {
    const { tracker, rec } = setup();
    rec('a', 1); tracker.sourceState(st('a', 1));
    rec('a', 1); tracker.sourceState(st('a', 2));
    expect(tracker.ack(st('a', 2))).toBe(true);
    expect(tracker.pendingCount).toBe(0);
    tracker.sourceState(st('a', 3));
    // A destination that rewrote the state (different content, same stream): oldest pending of that stream.
    expect(tracker.ack({ ...st('a', 3), stream: { stream_descriptor: { name: 'a' }, stream_state: { cursor: 3, extra: true } } })).toBe(true);
  });

  it('warns on an unknown id and commits nothing', () => {
    const { tracker, warnings } = setup();
    tracker.sourceState(st('a', 1));
    expect(tracker.ack({ ...st('a', 1), id: 99 } as AirbyteStateMessage)).toBe(false);
    expect(warnings[0]).toMatch(/not pending \(id 99\)/);
    expect(tracker.committed.isEmpty).toBe(true);
  });

  it('GLOBAL: recordCount counts all streams; namespaces are part of the key; big numbers stay exact', () => {
    const { tracker, rec } = setup();
    rec('a', 2, 'x'); rec('a', 3, 'y');
    const g = parseJson('{"type":"GLOBAL","global":{"shared_state":{"lsn":123456789012345678901},"stream_states":[{"stream_descriptor":{"name":"a","namespace":"x"},"stream_state":{"c":1}}]}}') as AirbyteStateMessage;
    const sent = tracker.sourceState(g);
    expect(sent.sourceStats?.recordCount).toBe(5);
    tracker.ack(parseJson(JSON.stringify({ ...sent, global: undefined }).replace('"sourceStats"', `"global":${'{"shared_state":{"lsn":123456789012345678901},"stream_states":[]}'},"sourceStats"`)) as AirbyteStateMessage);
    expect(tracker.committed.kind).toBe('GLOBAL');
    expect(streamKey({ name: 'a', namespace: 'x' })).not.toBe(streamKey({ name: 'a', namespace: 'y' }));
  });

  it('reverse-maps a mapped STREAM echo before committing', () => {
    const { tracker } = setup();
    const s = tracker.sourceState(st('a', 1, 'src'));
    tracker.ack({ ...s, stream: { ...s.stream!, stream_descriptor: { name: 'p_a', namespace: 'dst' } } }, () => ({ name: 'a', namespace: 'src' }));
    expect(tracker.committed.toArray()).toEqual([st('a', 1, 'src')]);
  });
});
