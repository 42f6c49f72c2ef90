import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../runtime/host/process-identity.js';
import { cliPath, repoRoot } from '../support/repo-paths.js';
import { runCli } from '../support/run-cli.js';

// Job dirs hold configs in plain text (0600). They must live in a private place, and what a killed
// airdock leaves behind (the dir, and a connector still running with PPID 1) must not stay forever.
const sleeper = join(repoRoot, 'test/fixtures/connectors/sleeper.mjs');
const started: ChildProcess[] = [];
const connectors: number[] = [];
// Whatever an assertion left running: the CLIs, and the connectors (an orphan outlives its CLI).
afterAll(() => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
  for (const pid of connectors) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

/** `airdock read` of the sleeper in the background; resolves once the connector said where it runs. */
function startRead(dir: string, env: Record<string, string | undefined>): Promise<{ cli: ChildProcess; pid: number; config: string }> {
  const cli = spawn(process.execPath, [cliPath, 'read', sleeper, '--config', join(dir, 'config.json')], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  started.push(cli);
  let err = '';
  return new Promise((resolve, reject) => {
    cli.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /sleeper pid=(\d+) config=(\S+)/.exec(err);
      if (!m) return;
      connectors.push(Number(m[1]));
      resolve({ cli, pid: Number(m[1]), config: m[2]! });
    });
    cli.on('exit', () => reject(new Error(`airdock exited early: ${err}`)));
  });
}

const waitDead = async (pid: number, ms = 10_000) => {
  const end = Date.now() + ms;
  while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return !isAlive(pid);
};

describe('job dirs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-jobs-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ password: 'job-dir-Secret-1' }));

  it('live under AIRDOCK_HOME (or $XDG_RUNTIME_DIR/airdock), private (0700), never a shared /tmp name', async () => {
    const home = join(dir, 'home');
    const run = await startRead(dir, { AIRDOCK_HOME: home, XDG_RUNTIME_DIR: undefined });
    expect(dirname(dirname(run.config))).toBe(join(home, 'jobs'));
    expect(statSync(dirname(run.config)).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'jobs')).mode & 0o777).toBe(0o700);
    expect(statSync(run.config).mode & 0o777).toBe(0o600);
    run.cli.kill('SIGTERM');
    expect(await waitDead(run.pid)).toBe(true);

    const runtimeDir = mkdtempSync(join(tmpdir(), 'airdock-xdg-'));
    const xdg = await startRead(dir, { AIRDOCK_HOME: home, XDG_RUNTIME_DIR: runtimeDir });
    expect(dirname(dirname(xdg.config))).toBe(join(runtimeDir, 'airdock'));
    xdg.cli.kill('SIGTERM');
    expect(await waitDead(xdg.pid)).toBe(true);
  });

  it('after a kill -9 of airdock, the next run removes the job dir and stops the orphaned connector; a live run keeps its own', async () => {
    const env = { AIRDOCK_HOME: join(dir, 'home2'), XDG_RUNTIME_DIR: undefined };
    const killed = await startRead(dir, env);
    const live = await startRead(dir, env);
    killed.cli.kill('SIGKILL');
    await new Promise((r) => killed.cli.once('exit', r));
    // What kill -9 leaves: the config in plain text, and the connector, now a child of init.
    expect(existsSync(killed.config)).toBe(true);
    expect(isAlive(killed.pid)).toBe(true);

    const next = await runCli(['check', sleeper, '--config', join(dir, 'config.json')], { cwd: dir, env });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/removed 1 job dir\(s\) and stopped 1 connector process\(es\) left by an airdock run that died/);
    expect(existsSync(dirname(killed.config))).toBe(false);
    expect(await waitDead(killed.pid)).toBe(true);
    // The live run was not touched.
    expect(existsSync(live.config)).toBe(true);
    expect(isAlive(live.pid)).toBe(true);
    live.cli.kill('SIGTERM');
    expect(await waitDead(live.pid)).toBe(true);
  });
});
