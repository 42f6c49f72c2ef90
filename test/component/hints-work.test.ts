import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureSource, makeConnection, runSyncCli } from '../support/sync-harness.js';
import { runCli } from '../support/run-cli.js';

// Issue 10 item 10: a hint must name something that works. AIRDOCK_PROTOCOL_LINE_TOO_LONG names
// --max-line-bytes (read, write) and max_line_bytes (a sync's connection file): both exist and raise it.
describe('the line-length hint names options that exist', () => {
  it('read: --max-line-bytes lowers and raises the limit; the error says how', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-hint-read-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ streams: ['a'], count: 3, pad: 5000 }));
    const args = ['read', fixtureSource, '--config', join(dir, 'config.json')];
    const low = await runCli([...args, '--max-line-bytes', '3000'], { cwd: dir });
    expect(low.code, low.stderr).toBe(1);
    expect(low.stderr).toMatch(/AIRDOCK_PROTOCOL_LINE_TOO_LONG.*maxLineBytes=3000.*--max-line-bytes <bytes>/);
    const high = await runCli([...args, '--max-line-bytes', '100000'], { cwd: dir });
    expect(high.code, high.stderr).toBe(0);
    expect(high.stdout.split('\n').filter((l) => l.includes('"RECORD"'))).toHaveLength(3);
  });

  it('sync: max_line_bytes in the connection file; the failure names it', async () => {
    const low = makeConnection({ streams: ['a'], count: 3, pad: 5000 }, {}, { max_line_bytes: 3000 });
    const r = await runSyncCli(low.file, low.dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary.failure.message).toMatch(/AIRDOCK_PROTOCOL_LINE_TOO_LONG.*max_line_bytes in a connection file/);
    const high = makeConnection({ streams: ['a'], count: 3, pad: 5000 }, {}, { max_line_bytes: 100000 });
    const ok = await runSyncCli(high.file, high.dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(high.records()).toHaveLength(3);
  });
});
