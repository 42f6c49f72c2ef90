import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFileLock } from './file-lock.js';

const deadPid = () => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;

describe('acquireFileLock', () => {
  it('a stale lock raced by many takers goes to exactly one of them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'airdock-lock-')), 'c.lock');
    writeFileSync(path, JSON.stringify({ pid: Number(deadPid()), host: hostname(), since: '2026-01-01T00:00:00.000Z', purpose: 'sync', nonce: 'old' }));
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => acquireFileLock(path, { connection: 'c', purpose: 'sync' })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireFileLock>>>).value.tookOverFrom).toMatchObject({ since: '2026-01-01T00:00:00.000Z' });
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'AIRDOCK_STATE_LOCKED', context: { pid: process.pid } });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('a lock whose pid was reused by another process (other start time) counts as stale', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'airdock-lock-')), 'c.lock');
    // Our own pid, but a start time it never had: a pid recycled after the owner died.
    writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname(), startTicks: 1, since: 'x', purpose: 'sync', nonce: 'old' }));
    const lock = await acquireFileLock(path, { connection: 'c', purpose: 'sync' });
    expect(lock.tookOverFrom).toMatchObject({ pid: process.pid });
    await lock.release();
  });
});
