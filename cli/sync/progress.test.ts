import { describe, expect, it } from 'vitest';
import { Logger } from '../../runtime/log/logger.js';
import { progressListener } from './progress.js';
import { SyncStats } from '../../runtime/sync/sync-stats.js';

describe('progress listener (not a terminal)', () => {
  it('logs a progress line while the sync runs, and nothing after it ended', async () => {
    const lines: string[] = [];
    const log = new Logger({ write: (l) => lines.push(l) });
    const progress = await progressListener({ tty: false, log, intervalMs: 20 });
    const stats = new SyncStats();
    stats.of('users', undefined).recordsEmitted = 1234;
    progress.onEvent({ type: 'started', connection: 'c', stats });
    await new Promise((r) => setTimeout(r, 70));
    progress.onEvent({ type: 'ended', connection: 'c', stats });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^progress: 1,234 records, 0\.0 MB emitted, 0 committed/);
    const seen = lines.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(lines.length).toBe(seen);
    progress.stop();
  });
});
