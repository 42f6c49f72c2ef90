import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from '../support/repo-paths.js';

// Issue 10 item 9: a connector printing 1 GiB on stderr without a newline. airdock keeps at most
// 1 MiB of one stderr line, logs it with a note of its real length, and its peak RSS (the real CLI,
// sampled from /proc) stays far below what the line would cost; the read still succeeds.
const misbehave = resolve(repoRoot, 'test/fixtures/connectors/misbehave.mjs');
const GIB = 1024 ** 3;

describe('stderr without newlines keeps memory bounded', () => {
  it('1 GiB of stderr in one line: peak RSS stays under 200 MB, the line is logged truncated, the records all arrive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-stderr-rss-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ mode: 'stderr_no_newline', bytes: GIB, count: 5 }));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ streams: [{ stream: { name: 'users', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] }));
    const child = spawn(process.execPath, [cliPath, 'read', misbehave, '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    const sampler = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch { /* exited */ }
    }, 20);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearInterval(sampler);
    const stderr = Buffer.concat(err).toString('utf8');
    expect(code, stderr.slice(-2000)).toBe(0);
    expect(Buffer.concat(out).toString('utf8').split('\n').filter((l) => l.includes('"RECORD"'))).toHaveLength(5);
    expect(stderr).toContain(`[stderr line of ${GIB} bytes truncated]`);
    expect(stderr.length).toBeLessThan(64 * 1024);
    console.log(`peak RSS of airdock read under 1 GiB of newline-less stderr: ${Math.round(peakKb / 1024)} MB`);
    expect(peakKb / 1024).toBeLessThan(200);
  }, 240_000);
});
