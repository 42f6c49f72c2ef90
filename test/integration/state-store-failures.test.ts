import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../support/sync-harness.js';
import { runCli } from '../support/run-cli.js';

// Issue 10 item 2: the state store cannot write (a full disk) or read (the state file is not a file).
// The sync must say failed, in the summary and on stderr, with the OS reason and what to do.
const mounts: string[] = [];

afterAll(() => {
  for (const m of mounts) {
    try { execFileSync('umount', [m]); } catch { /* reported by the test that failed */ }
    rmSync(m, { recursive: true, force: true });
  }
});

function connection(dir: string, name: string): string {
  const file = join(dir, 'connection.yaml');
  writeFileSync(file, `name: ${name}
source: { connector: native:source-faker, config: { count: 2000, seed: 5, records_per_slice: 200, always_updated: false } }
destination: { connector: native:destination-dev-null, config: { test_destination: { test_destination_type: SILENT } } }
streams:
  - { name: users, sync_mode: incremental, destination_sync_mode: append }
retry: { attempts: 1 }
`);
  return file;
}

describe('the state store cannot write or read, or holds a corrupt state', () => {
  it('a full disk: the summary says failed, the error carries ENOSPC and a hint, nothing claims the states were committed', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test mounts a tmpfs and must run as root (npm test runs as root in CI)');
    const dir = mkdtempSync(join(tmpdir(), 'airdock-state-full-'));
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'airdock-state-full-test', mnt]);
    mounts.push(mnt);
    mkdirSync(join(mnt, 'state'));
    // Fill the disk, then free one page: room for the connection's lock file, none for its state.
    try { execFileSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=4k'], { stdio: 'ignore' }); } catch { /* ENOSPC: full */ }
    truncateSync(join(mnt, 'filler'), 64 * 1024 - 4096);
    const r = await runSyncCli(connection(dir, `state-full-${process.pid}`), dir, { args: ['--state-dir', join(mnt, 'state')], timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary).toMatchObject({ status: 'failed', stateCommitted: false, statesCommitted: 0, failure: { origin: 'state' } });
    expect(r.summary.failure?.message).toMatch(/ENOSPC/);
    expect(r.summary.statesEmitted).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/ succeeded: /);
    expect(r.stderr).toMatch(/error AIRDOCK_STATE_COMMIT: The state file cannot be written \(.*reason="ENOSPC".*\)\. The disk holding the state is full/);
  });

  it('a state file that cannot be read is a read error (AIRDOCK_STATE_READ with the OS reason), before anything runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-state-read-'));
    const name = `state-read-${process.pid}`;
    mkdirSync(join(dir, 'state', `${name}.json`), { recursive: true });
    const r = await runSyncCli(connection(dir, name), dir, { args: ['--state-dir', join(dir, 'state')], timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error AIRDOCK_STATE_READ: The state file cannot be read \(.*reason="EISDIR".*\)/);
    expect(r.stderr).not.toMatch(/AIRDOCK_STATE_COMMIT/);
    expect(r.stderr).not.toMatch(/discovering/);
  });

  it('a corrupt state: the hint names a command that shows it (state show --raw), and clear lets the next sync start over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airdock-state-corrupt-'));
    const name = `state-corrupt-${process.pid}`;
    const file = connection(dir, name);
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', `${name}.json`), '[{"type":"STREAM", torn');
    const args = ['--state-dir', join(dir, 'state')];
    const r = await runSyncCli(file, dir, { args, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error AIRDOCK_STATE_CORRUPT: .*`airdock state show --raw <connection>`/);
    const env = { AIRDOCK_HOME: join(dir, '.airdock') };
    const parsed = await runCli(['state', 'show', file, ...args], { cwd: dir, env });
    expect(parsed.stderr).toMatch(/AIRDOCK_STATE_CORRUPT/);
    const raw = await runCli(['state', 'show', '--raw', file, ...args], { cwd: dir, env });
    expect(raw.code, raw.stderr).toBe(0);
    expect(raw.stdout).toBe('[{"type":"STREAM", torn\n');
    expect((await runCli(['state', 'clear', file, ...args], { cwd: dir, env })).code).toBe(0);
    expect((await runSyncCli(file, dir, { args, timeoutMs: 60_000 })).code).toBe(0);
  });
});
