import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cursors, fixtureDestination, fixtureSource, makeConnection, runSyncCli } from '../support/sync-harness.js';
import { runCli } from '../support/run-cli.js';

// The breaker with real syncs (bin/airdock, the fault-injecting fixture source), real time: a short
// recovery_timeout instead of a fake clock.

const failing = { count: 6, state_every: 2, trace_after: 3, failure_type: 'transient_error' };

function rewrite(c: ReturnType<typeof makeConnection>, source: Record<string, unknown>, breaker: Record<string, unknown>): void {
  writeFileSync(c.file, stringify({
    name: c.name,
    source: { connector: fixtureSource, config: source },
    destination: { connector: fixtureDestination, config: { out: c.out } },
    retry: { attempts: 1, base_delay_ms: 10 },
    circuit_breaker: breaker,
  }));
}

async function status(c: ReturnType<typeof makeConnection>): Promise<any> {
  const r = await runCli(['circuit', 'status', c.file, '--json'], { cwd: c.dir, env: { AIRDOCK_HOME: join(c.dir, '.airdock') } });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('circuit breaker', () => {
  it('opens after failure_threshold failed syncs, fails fast saying when it retries, then one trial closes or reopens it', async () => {
    const breaker = { failure_threshold: 2, recovery_timeout_seconds: 2 };
    const c = makeConnection(failing, {}, { circuit_breaker: breaker });

    const first = await runSyncCli(c.file, c.dir);
    expect(first.code).toBe(1);
    expect(await status(c)).toMatchObject({ state: 'closed', consecutiveFailures: 1, lastFailure: { code: 'AIRDOCK_SYNC_FAILED', failureType: 'transient_error' } });
    const second = await runSyncCli(c.file, c.dir);
    expect(second.code).toBe(1);
    const open = await status(c);
    expect(open).toMatchObject({ state: 'open', consecutiveFailures: 2 });
    expect(Date.parse(open.retryAt) - Date.parse(open.openedAt)).toBe(2000);

    // Open: no connector runs, the command fails at once and says when it will try again.
    const recordsBefore = c.records().length;
    const fast = await runSyncCli(c.file, c.dir);
    expect(fast.code).toBe(1);
    expect(fast.stderr).toContain(`error AIRDOCK_CIRCUIT_OPEN: The circuit breaker of this connection is open: the sync was not started (connection="${c.name}", consecutiveFailures=2, retryAt="${open.retryAt}"`);
    expect(fast.stdout).toBe('');
    expect(c.records()).toHaveLength(recordsBefore);
    const text = await runCli(['circuit', 'status', c.file], { cwd: c.dir, env: { AIRDOCK_HOME: join(c.dir, '.airdock') } });
    expect(text.stdout).toContain(`${c.name}: open since ${open.openedAt}, fails syncs fast until ${open.retryAt} (2 consecutive failed syncs`);

    // After the timeout one trial runs; it fails, so the circuit opens again at once (threshold or not).
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(open.retryAt) - Date.now()) + 50));
    const trial = await runSyncCli(c.file, c.dir);
    expect(trial.code).toBe(1);
    expect(trial.stderr).toContain('is half-open after 2 failed syncs: this sync is the trial');
    expect(await status(c)).toMatchObject({ state: 'open', consecutiveFailures: 3 });

    // Fixed source, next trial succeeds and closes it.
    rewrite(c, { count: 6, state_every: 2 }, breaker);
    const reopened = await status(c);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(reopened.retryAt) - Date.now()) + 50));
    const ok = await runSyncCli(c.file, c.dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await status(c)).toEqual({ connection: c.name, state: 'closed', consecutiveFailures: 0 });
  });

  it('a config_error opens it at once; circuit reset closes it', async () => {
    const c = makeConnection({ ...failing, failure_type: 'config_error' }, {}, { circuit_breaker: { failure_threshold: 5, recovery_timeout_seconds: 3600 } });
    // A config error exits 2, as without a breaker; the breaker opens at once.
    expect((await runSyncCli(c.file, c.dir)).code).toBe(2);
    expect(await status(c)).toMatchObject({ state: 'open', consecutiveFailures: 1, lastFailure: { failureType: 'config_error' } });
    expect((await runSyncCli(c.file, c.dir)).stderr).toContain('AIRDOCK_CIRCUIT_OPEN');

    const reset = await runCli(['circuit', 'reset', c.file], { cwd: c.dir, env: { AIRDOCK_HOME: join(c.dir, '.airdock') } });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toContain(`circuit of ${c.name} closed`);
    rewrite(c, { count: 4, state_every: 2 }, { failure_threshold: 5, recovery_timeout_seconds: 3600 });
    const ok = await runSyncCli(c.file, c.dir);
    expect(ok.code, ok.stderr).toBe(0);
    // It resumes from what the failed run had committed: every record up to the end.
    expect(ok.summary).toMatchObject({ status: 'succeeded' });
    expect(cursors(c.state())).toEqual({ a: 4, b: 4 });
  });

  it('an interrupted sync leaves the breaker as it was; without circuit_breaker nothing is recorded', async () => {
    const c = makeConnection({ count: 100000, delay_every: 10, delay_ms: 50 }, {}, { circuit_breaker: { failure_threshold: 1, recovery_timeout_seconds: 3600 } });
    const run = await runSyncCli(c.file, c.dir, {
      onStart: (pid, stderr) => {
        const t = setInterval(() => { if (stderr().includes('discovering')) { clearInterval(t); setTimeout(() => process.kill(pid, 'SIGINT'), 300); } }, 50);
      },
    });
    expect(run.code).toBe(130);
    expect(await status(c)).toEqual({ connection: c.name, state: 'closed', consecutiveFailures: 0 });

    const plain = makeConnection(failing, {});
    for (let i = 0; i < 3; i++) expect((await runSyncCli(plain.file, plain.dir)).code).toBe(1);
    expect(await status(plain)).toEqual({ connection: plain.name, state: 'closed', consecutiveFailures: 0 });
  });
});
