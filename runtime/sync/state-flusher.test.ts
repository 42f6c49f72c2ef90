import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateSet, type AirbyteStateMessage } from '../../protocol/index.js';
import { Logger } from '../log/logger.js';
import { FileStateStore } from '../state/file-state-store.js';
import { StateFlusher } from './state-flusher.js';
import { StateTracker } from './state-tracker.js';
import { SyncStats } from './sync-stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const st = (cursor: number): AirbyteStateMessage => ({ type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: { cursor } } });

/** A real file store that also notes the cursor of every save and when it happened. */
function setup(intervalMs: number) {
  const store = new FileStateStore(mkdtempSync(join(tmpdir(), 'airdock-flusher-')));
  const saves: { at: number; cursor: unknown }[] = [];
  const save = store.save.bind(store);
  store.save = async (c, states) => { saves.push({ at: Date.now(), cursor: (states[0]?.stream?.stream_state as { cursor?: number } | undefined)?.cursor }); await save(c, states); };
  const stats = new SyncStats();
  const tracker = new StateTracker(new StateSet(), stats);
  const flusher = new StateFlusher({ store, connection: 'c', committed: tracker.committed, tracker, log: new Logger({ level: 'error', write: () => {} }), intervalMs });
  tracker.onCommit = () => flusher.soon();
  const ack = (cursor: number) => {
    tracker.record(stats.of('a', undefined), 100);
    tracker.ack(tracker.sourceState(st(cursor)));
  };
  return { store, saves, flusher, ack };
}

describe('StateFlusher', () => {
  it('saves a rare acknowledged state at once, not at the next tick', async () => {
    const { store, saves, flusher, ack } = setup(1000);
    flusher.start();
    await sleep(1100);
    const t = Date.now();
    ack(1);
    await sleep(600);
    expect(saves.map((s) => s.cursor)).toEqual([1]);
    // The next tick is ~900 ms away; 500 ms leaves room for a loaded machine and still tells them apart.
    expect(saves[0]!.at - t).toBeLessThan(500);
    expect(await store.load('c')).toEqual([st(1)]);
    flusher.stop();
  });

  it('saves a flood of acknowledged states at most once per interval, the last one included', async () => {
    const { saves, flusher, ack } = setup(300);
    flusher.start();
    const t = Date.now();
    for (let i = 1; i <= 60; i++) { ack(i); await sleep(10); }
    await sleep(400);
    flusher.stop();
    expect(saves.at(-1)!.cursor).toBe(60);
    // About 0.6 s of acks, one save per 300 ms: never two saves closer than the interval.
    for (let i = 1; i < saves.length; i++) expect(saves[i]!.at - saves[i - 1]!.at).toBeGreaterThanOrEqual(290);
    expect(saves.length).toBeLessThanOrEqual(Math.ceil((Date.now() - t) / 300) + 1);
  });
});
