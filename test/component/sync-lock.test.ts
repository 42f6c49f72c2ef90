import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fixtureSource, runSyncCli } from '../support/sync-harness.js';
import { runCli } from '../support/run-cli.js';

// Two real `airdock sync` processes of one connection, into the real native local-json destination.
// Without a lock both succeed and the output holds every record twice; the state's last writer wins.
function localJsonConnection(sourceConfig: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-lock-'));
  const name = `lock${process.pid}x${Date.now().toString(36)}`;
  const file = join(dir, 'connection.yaml');
  writeFileSync(file, stringify({
    name,
    source: { connector: fixtureSource, config: sourceConfig },
    destination: { connector: 'native:destination-local-json', config: { destination_path: join(dir, 'out') } },
    streams: [{ name: 'a', sync_mode: 'incremental', destination_sync_mode: 'append' }],
    retry: { attempts: 1 },
  }));
  const lines = () => {
    const path = join(dir, 'out', '_airbyte_raw_a.jsonl');
    return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)._airbyte_data.id as number) : [];
  };
  return { dir, name, file, lines, lockFile: join(dir, '.airdock', 'state', `${name}.lock`) };
}

const waitFor = async (cond: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('one sync per connection', () => {
  it('a second sync of a running connection fails fast naming the running one; records land once', async () => {
    const c = localJsonConnection({ streams: ['a'], count: 60, state_every: 10, delay_every: 1, delay_ms: 40 });
    let firstPid = 0;
    let secondStarted = 0;
    const secondRun: Promise<Awaited<ReturnType<typeof runSyncCli>>>[] = [];
    const first = runSyncCli(c.file, c.dir, {
      onStart: (pid, stderr) => {
        firstPid = pid;
        const t = setInterval(() => {
          if (!stderr().includes('reading a')) return;
          clearInterval(t);
          secondStarted = Date.now();
          secondRun.push(runSyncCli(c.file, c.dir));
        }, 20);
      },
    });
    const one = await first;
    await waitFor(() => secondRun.length === 1);
    const two = await secondRun[0]!;
    expect(one.code, one.stderr).toBe(0);
    expect(one.summary).toMatchObject({ status: 'succeeded', recordsCommitted: 60 });
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(new RegExp(`error AIRDOCK_STATE_LOCKED: Another airdock run holds this connection \\(connection="${c.name}", pid=${firstPid}, host="${hostname()}", since="[0-9T:.Z-]+", purpose="sync"`));
    // Fast: it stopped before discover or any connector ran.
    expect(two.stderr).not.toContain('discovering');
    expect(Date.now() - secondStarted).toBeLessThan(30_000);
    expect(c.lines()).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // The lock is gone once the holder ended.
    expect(existsSync(c.lockFile)).toBe(false);
    expect(readdirSync(join(c.dir, '.airdock', 'state')).filter((f) => f.includes('.lock'))).toEqual([]);
  });

  it('state set and clear refuse while a sync runs', async () => {
    const c = localJsonConnection({ streams: ['a'], count: 40, state_every: 10, delay_every: 1, delay_ms: 40 });
    const env = { AIRDOCK_HOME: join(c.dir, '.airdock') };
    const results: Awaited<ReturnType<typeof runCli>>[] = [];
    const run = runSyncCli(c.file, c.dir, {
      onStart: (_pid, stderr) => {
        const t = setInterval(() => {
          if (!stderr().includes('reading a')) return;
          clearInterval(t);
          void runCli(['state', 'clear', c.file], { cwd: c.dir, env }).then((r) => results.push(r));
        }, 20);
      },
    });
    expect((await run).code).toBe(0);
    await waitFor(() => results.length === 1);
    expect(results[0]!.code).toBe(1);
    expect(results[0]!.stderr).toContain('AIRDOCK_STATE_LOCKED');
    expect(results[0]!.stderr).toContain('purpose="sync"');
    // After the sync, clear works.
    expect((await runCli(['state', 'clear', c.file], { cwd: c.dir, env })).code).toBe(0);
  });

  it('a lock left by a killed sync (kill -9) is taken over by the next run', async () => {
    const c = localJsonConnection({ streams: ['a'], count: 200, state_every: 5, delay_every: 1, delay_ms: 20 });
    const killed = await runSyncCli(c.file, c.dir, {
      onStart: (pid, stderr) => {
        const t = setInterval(() => {
          if (!stderr().includes('reading a')) return;
          clearInterval(t);
          setTimeout(() => process.kill(pid, 'SIGKILL'), 300);
        }, 20);
      },
    });
    expect(killed.code).toBe(null);
    expect(JSON.parse(readFileSync(c.lockFile, 'utf8'))).toMatchObject({ host: hostname(), purpose: 'sync' });
    const next = await runSyncCli(c.file, c.dir);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/took over the lock of .* left by pid \d+ .*which is no longer running/);
    expect(new Set(c.lines())).toEqual(new Set(Array.from({ length: 200 }, (_, i) => i + 1)));
    expect(existsSync(c.lockFile)).toBe(false);
  });

  it('a lock held by a live process that is not airdock-shaped (another host) is reported, never taken', async () => {
    const c = localJsonConnection({ streams: ['a'], count: 3 });
    mkdirSync(join(c.dir, '.airdock', 'state'), { recursive: true });
    writeFileSync(c.lockFile, JSON.stringify({ pid: 4242, host: 'elsewhere.example', since: '2026-01-01T00:00:00.000Z', purpose: 'sync', nonce: 'x' }));
    const r = await runSyncCli(c.file, c.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('host="elsewhere.example"');
    expect(r.stderr).toContain(`if that process is gone, delete ${c.lockFile}`);
    expect(existsSync(c.lockFile)).toBe(true);
  });
});

