import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStateStore } from '../state/file-state-store.js';
import { nextSyncId } from './next-sync-id.js';

const dir = mkdtempSync(join(tmpdir(), 'airdock-sync-id-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nextSyncId', () => {
  it('gives two syncs of a connection started in the same second different ids', async () => {
    // A failed sync and the next one in the same second used to share a generation: the destination
    // took the new sync for a retry and resumed the failed one's side table (duplicates).
    const store = new FileStateStore(dir);
    const now = Date.parse('2026-11-30T12:00:00.250Z');
    const first = await nextSyncId(store, 'same-second', undefined, now);
    const second = await nextSyncId(store, 'same-second', undefined, now + 300);
    expect(first).toBe(Math.floor(now / 1000));
    expect(second).toBe(first + 1);
  });

  it('never goes back when the clock does, and follows the clock when it moves on', async () => {
    const store = new FileStateStore(dir);
    const now = Date.parse('2026-11-30T12:00:00Z');
    const first = await nextSyncId(store, 'clock', undefined, now);
    expect(await nextSyncId(store, 'clock', undefined, now - 3_600_000)).toBe(first + 1);
    expect(await nextSyncId(store, 'clock', undefined, now + 60_000)).toBe(first + 60);
  });

  it('keeps connections apart and survives a reopened store', async () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    await nextSyncId(new FileStateStore(dir), 'a', undefined, now);
    expect(await nextSyncId(new FileStateStore(dir), 'a', undefined, now)).toBe(Math.floor(now / 1000) + 1);
    expect(await nextSyncId(new FileStateStore(dir), 'b', undefined, now)).toBe(Math.floor(now / 1000));
  });
});
