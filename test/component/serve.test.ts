import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fixtureDestination, fixtureSource } from '../support/sync-harness.js';
import { parseProm, samples, value } from '../support/prom-text.js';
import { cliPath } from '../support/repo-paths.js';

// `airdock serve` end to end, as a user runs it: bin/airdock, connection files in a folder, the
// fixture connectors as processes, HTTP on loopback with an ephemeral port, real time.

const TOKEN = 'serve-test-token-4d1c';
const dir = mkdtempSync(join(tmpdir(), 'airdock-serve-'));
const tag = `sv${process.pid}x${Date.now().toString(36)}`;
const names = { sched: `${tag}-sched`, slow: `${tag}-slow` };
const outOf = (n: string) => join(dir, `${n}.jsonl`);
const stateOf = (n: string): any => {
  const f = join(dir, '.airdock', 'state', `${n}.json`);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
};
const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0);

function writeConnection(name: string, source: Record<string, unknown>, extra: Record<string, unknown> = {}): void {
  writeFileSync(join(dir, `${name}.yaml`), stringify({
    name, source: { connector: fixtureSource, config: source },
    destination: { connector: fixtureDestination, config: { out: outOf(name) } }, retry: { attempts: 1, base_delay_ms: 10 }, ...extra,
  }));
}

interface Served { child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | null> }

async function serve(extraEnv: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [cliPath, 'serve', dir, '--port', '0', '--jitter', '0', '--shutdown-grace', '0'], {
    cwd: dir, env: { ...process.env, AIRDOCK_HOME: join(dir, '.airdock'), AIRDOCK_STATE_FLUSH_MS: '200', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const url = await until(() => /on (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1], 15_000, () => err);
  return { child, url, stderr: () => err, exited };
}

async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms: number, what: () => string = () => ''): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const children: ChildProcess[] = [];

describe('airdock serve', () => {
  afterAll(() => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); });

  it('runs schedules, serves probes, metrics and /connections; trigger, 409, cancel, token; a second server refuses; SIGTERM commits and exits', async () => {
    writeConnection(names.sched, { count: 3, state_every: 1 }, { schedule: '*/1 * * * * *' });
    // ~20 records/s per stream: long enough to trigger, overlap, cancel and stop mid-sync.
    writeConnection(names.slow, { count: 2000, state_every: 5, delay_every: 1, delay_ms: 50 });
    writeFileSync(join(dir, 'broken.yaml'), 'source: [');
    const s = await serve({ AIRDOCK_SERVE_TOKEN: TOKEN });
    const get = (p: string) => fetch(`${s.url}${p}`);
    const post = (p: string, token = TOKEN) => fetch(`${s.url}${p}`, { method: 'POST', ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
    const conn = async (n: string) => ((await (await get('/connections')).json()) as any).connections.find((c: any) => c.name === n);

    expect(s.stderr()).toMatch(/broken\.yaml is left out: AIRDOCK_CONNECTION_INVALID/);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);

    // The schedule fires on its own, every second, and its syncs succeed.
    const ran = await until(async () => { const c = await conn(names.sched); return c.lastRun?.status === 'succeeded' ? c : undefined; }, 15_000, s.stderr);
    expect(ran).toMatchObject({ schedule: '*/1 * * * * *', lastRun: { reason: 'schedule' } });
    expect(Date.parse(ran.nextRun)).toBeGreaterThan(Date.now() - 1000);
    // Later runs resume from the committed state: the 6 records are written once.
    expect(lines(outOf(names.sched))).toBe(6);
    expect((await conn(names.slow))).toMatchObject({ schedule: null, status: 'idle', lastRun: null, nextRun: null });

    // POST routes need the token; GETs do not.
    expect((await post(`/connections/${names.slow}/sync`, '')).status).toBe(401);
    expect((await post(`/connections/${names.slow}/sync`, 'wrong')).status).toBe(401);
    expect((await post('/connections/nope/sync')).status).toBe(404);
    const started = await post(`/connections/${names.slow}/sync`);
    expect(started.status).toBe(202);
    expect(await started.json()).toEqual({ connection: names.slow, status: 'started' });
    expect((await post(`/connections/${names.slow}/sync`)).status).toBe(409);
    expect(await conn(names.slow)).toMatchObject({ status: 'running' });

    // /metrics during the sync: Prometheus text, the running sync's counters moving, process metrics.
    const mid = parseProm(await (await get('/metrics')).text());
    await until(async () => samples(parseProm(await (await get('/metrics')).text()), 'airdock_states_committed_total', { connection: names.slow }).some((x) => x.value > 0), 10_000);
    expect(samples(mid, 'process_resident_memory_bytes')).toHaveLength(1);

    // Cancel: the sync stops and keeps what was acknowledged.
    expect((await post(`/connections/${names.slow}/cancel`)).status).toBe(202);
    const cancelled = await until(async () => { const c = await conn(names.slow); return c.status === 'idle' ? c : undefined; }, 15_000, s.stderr);
    expect(cancelled.lastRun).toMatchObject({ status: 'cancelled', reason: 'trigger', error: 'AIRDOCK_ABORTED' });
    expect(stateOf(names.slow)).toBeDefined();
    expect((await post(`/connections/${names.slow}/cancel`)).status).toBe(409);

    // Metrics after: equal to what the runs did, read by Prometheus' parser.
    const after = parseProm(await (await get('/metrics')).text());
    expect(value(after, 'airdock_syncs_total', { connection: names.slow, status: 'cancelled' })).toBe(1);
    expect(value(after, 'airdock_syncs_total', { connection: names.sched, status: 'succeeded' })).toBeGreaterThanOrEqual(1);
    const committed = samples(after, 'airdock_records_committed_total', { connection: names.slow }).reduce((a, x) => a + x.value, 0);
    expect(committed).toBe(cancelled.lastRun.recordsCommitted);

    // A second server on the same state store refuses to start.
    const second = spawn(process.execPath, [cliPath, 'serve', dir, '--port', '0'], { cwd: dir, env: { ...process.env, AIRDOCK_HOME: join(dir, '.airdock') }, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(second);
    let secondErr = '';
    second.stderr!.on('data', (c: Buffer) => { secondErr += c.toString('utf8'); });
    const secondCode = await new Promise<number | null>((r) => second.on('close', r));
    expect(secondCode).toBe(1);
    expect(secondErr).toMatch(new RegExp(`error AIRDOCK_SERVE_LOCKED: Another airdock serve uses this state store \\(store="file [^"]+", pid=${s.child.pid}`));

    // SIGTERM mid-sync: the sync stops, acknowledged state is committed, the server exits 0.
    const before = stateOf(names.slow);
    expect((await post(`/connections/${names.slow}/sync`)).status).toBe(202);
    await until(async () => JSON.stringify(stateOf(names.slow)) !== JSON.stringify(before), 10_000, s.stderr);
    const t0 = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(s.stderr()).toContain('SIGTERM: stopping');
    expect(s.stderr()).toMatch(/stopped\n$/);
    // What the state says was committed is in the destination's file: nothing acknowledged was lost.
    const cursor = Math.min(...stateOf(names.slow).map((m: any) => m.stream.stream_state.cursor));
    expect(lines(outOf(names.slow))).toBeGreaterThanOrEqual(cursor);

    // Restarted: the last runs and the last success time come back from the store.
    const again = await serve({ AIRDOCK_SERVE_TOKEN: TOKEN });
    const list = ((await (await fetch(`${again.url}/connections`)).json()) as any).connections;
    expect(list.find((c: any) => c.name === names.slow).lastRun).toMatchObject({ status: 'cancelled', error: 'AIRDOCK_ABORTED' });
    const sched = list.find((c: any) => c.name === names.sched);
    expect(sched.lastSuccessAt).toEqual(expect.any(String));
    const m = parseProm(await (await fetch(`${again.url}/metrics`)).text());
    expect(value(m, 'airdock_last_success_timestamp_seconds', { connection: names.sched })).toBeGreaterThanOrEqual(Date.parse(sched.lastSuccessAt) / 1000 - 2);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
