/**
 * `airdock serve` overhead (issue 19 targets: idle RSS ≤ 100 MB with 100 scheduled connections;
 * /metrics p99 ≤ 20 ms under 50 scrapes/s during a sync).
 *
 *   npm run build && node --import tsx bench/serve.bench.ts [connections=100] [seconds=20]
 *
 * 1. Idle: N connection files scheduled once a year (they never fire while measured), the server
 *    started, then RSS (VmRSS) and CPU time (utime+stime from /proc) sampled for `seconds`.
 * 2. Scrapes: one more connection syncing the fixture source slowly the whole time, /metrics
 *    fetched 50 times a second for `seconds`, latency of each scrape from request to last byte.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = join(root, 'bin/airdock');
const source = join(root, 'test/fixtures/sync/source.mjs');
const destination = join(root, 'test/fixtures/sync/destination.mjs');
const n = Number(process.argv[2] ?? 100);
const seconds = Number(process.argv[3] ?? 20);
const CLK_TCK = 100;

const dir = mkdtempSync(join(tmpdir(), 'airdock-serve-bench-'));
for (let i = 0; i < n; i++) {
  writeFileSync(join(dir, `idle-${i}.yaml`), [
    `name: idle-${i}`,
    `source: { connector: ${source}, config: { count: 10 } }`,
    `destination: { connector: ${destination}, config: { out: ${join(dir, `idle-${i}.jsonl`)} } }`,
    'schedule: "0 0 1 1 *"',
    'circuit_breaker: { failure_threshold: 3 }',
  ].join('\n'));
}
writeFileSync(join(dir, 'busy.yaml'), [
  'name: busy',
  // ~2,000 records/s for as long as the scrapes last: the sync runs the whole time.
  `source: { connector: ${source}, config: { count: ${seconds * 2000}, state_every: 500, delay_every: 20, delay_ms: 10, pad: 200 } }`,
  `destination: { connector: ${destination}, config: { out: ${join(dir, 'busy.jsonl')} } }`,
].join('\n'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const proc = (pid: number) => {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { rssMb: rss, cpuS: (Number(f[11]) + Number(f[12])) / CLK_TCK };
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'serve', dir, '--port', '0', '--jitter', '0'], {
    cwd: dir, env: { ...process.env, AIRDOCK_HOME: join(dir, '.airdock') }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  for (let i = 0; i < 300; i++) {
    const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
    if (m) return { child, url: m[1]! };
    await sleep(100);
  }
  throw new Error(`serve did not start: ${err}`);
}

const { child, url } = await start();
try {
  await sleep(3000);
  const a = proc(child.pid!);
  let peak = a.rssMb;
  for (let t = 0; t < seconds; t++) {
    await sleep(1000);
    peak = Math.max(peak, proc(child.pid!).rssMb);
  }
  const b = proc(child.pid!);
  const idle = { rssMb: b.rssMb, peakMb: peak, cpuPct: ((b.cpuS - a.cpuS) / seconds) * 100 };

  const r = await fetch(`${url}/connections/busy/sync`, { method: 'POST' });
  if (r.status !== 202) throw new Error(`trigger: ${r.status}`);
  await sleep(1000);
  // Each /metrics scrape is paired with a /healthz request 10 ms later: the probe's latency is what the
  // busy event loop and the loaded machine cost anyway, so the difference is the scrape's own.
  const lat: number[] = [];
  const base: number[] = [];
  const pending: Promise<void>[] = [];
  const timed = async (path: string, into: number[]) => {
    const s = performance.now();
    const res = await fetch(`${url}${path}`);
    await res.text();
    into.push(performance.now() - s);
  };
  const t0 = performance.now();
  for (let i = 0; i < seconds * 100; i++) {
    await sleep(Math.max(0, t0 + i * 10 - performance.now()));
    pending.push(i % 2 === 0 ? timed('/metrics', lat) : timed('/healthz', base));
  }
  await Promise.all(pending);
  const list = (await (await fetch(`${url}/connections`)).json()) as { connections: { name: string; status: string }[] };
  const stillRunning = list.connections.find((c) => c.name === 'busy')?.status === 'running';
  // The server's own event-loop delay over the run (prom-client's monitor): whether the tail is the server's loop or the machine.
  const text = await (await fetch(`${url}/metrics`)).text();
  const lag = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) * 1000;
  const loop = { p99: lag('nodejs_eventloop_lag_p99_seconds'), max: lag('nodejs_eventloop_lag_max_seconds') };
  const scrapes = { n: lat.length, p50: pct(lat, 50), p99: pct(lat, 99), max: Math.max(...lat), stillRunning, rssMb: proc(child.pid!).rssMb, bytes: (await (await fetch(`${url}/metrics`)).text()).length };

  console.log(`date: ${new Date().toISOString()}  machine: ${cpus().length}x ${cpus()[0]?.model} ${Math.round(totalmem() / 2 ** 30)} GiB  load: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`idle, ${n} scheduled connections: RSS ${idle.rssMb.toFixed(1)} MB (peak ${idle.peakMb.toFixed(1)} MB), CPU ${idle.cpuPct.toFixed(2)} % over ${seconds} s  (target RSS <= 100 MB)`);
  console.log(`/metrics at 50/s for ${seconds} s during a sync (${stillRunning ? 'still running at the end' : 'ENDED before the scrapes did'}): ${scrapes.n} scrapes, p50 ${scrapes.p50.toFixed(2)} ms, p99 ${scrapes.p99.toFixed(2)} ms, max ${scrapes.max.toFixed(2)} ms (${scrapes.bytes} bytes); /healthz alongside: p50 ${pct(base, 50).toFixed(2)} ms, p99 ${pct(base, 99).toFixed(2)} ms; server event-loop delay p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms; RSS ${scrapes.rssMb.toFixed(1)} MB  (target p99 <= 20 ms)`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  rmSync(dir, { recursive: true, force: true });
}
