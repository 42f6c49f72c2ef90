/**
 * Relay benchmark: the same source and destination programs run (a) as a raw shell pipe
 * `source | destination` and (b) through `airdock sync` (process backend, state acknowledged), in
 * the same run. Reports wall time, records/s, MB/s, airdock/raw ratio, the runtime's peak RSS and its
 * own CPU time (user + system of the airdock process, not its connectors): the ratio depends on how
 * busy the machine is, the CPU time much less, so compare both before and after a change.
 *
 *   npm run build && node --import tsx bench/relay.bench.ts [records=5000000] [repeats=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const source = join(root, 'bench/fixtures/relay-source.mjs');
const destination = join(root, 'bench/fixtures/relay-destination.mjs');
const records = Number(process.argv[2] ?? 5_000_000);
const repeats = Number(process.argv[3] ?? 3);
const mode = process.env.RELAY_MODE === 'generate' ? 'generate' : 'prebuilt';

// CPU seconds of the process itself (not its children): utime + stime from /proc/<pid>/stat, in clock ticks (100 Hz on Linux).
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function run(cmd: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ ms: number; code: number | null; rssMb: number; cpuS: number; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let rss = 0;
    let cpuS = 0;
    const sampler = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) rss = Math.max(rss, Number(m[1]) / 1024);
      } catch { /* gone */ }
      cpuS = cpuSeconds(child.pid) ?? cpuS;
    }, 20);
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c) => { stderr += c; });
    child.stdout.on('data', (c) => { stdout += c; });
    child.on('close', (code) => {
      clearInterval(sampler);
      done({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code, rssMb: rss, cpuS, stderr, stdout });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'airdock-relay-'));
// Inputs and outputs here run to gigabytes: remove them however the run ends.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const conn = join(dir, 'relay.yaml');
writeFileSync(conn, `name: relay
source: { connector: ${source}, config: {} }
destination: { connector: ${destination}, config: {} }
`);
const env = { RELAY_RECORDS: String(records), RELAY_MODE: mode, AIRDOCK_HOME: join(dir, '.airdock') };
let bytes = 0;
console.log(`relay (${mode} source): ${records.toLocaleString('en-US')} records, ${repeats} repeats; ${cpus().length} vCPU ${cpus()[0]?.model ?? ''}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const rows: { mode: string; ms: number; rssMb: number; cpuS: number }[] = [];
for (let i = 0; i < repeats; i++) {
  const raw = await run('sh', ['-c', `node ${source} | node ${destination}`], env, dir);
  if (raw.code !== 0) throw new Error(`raw pipe failed: ${raw.stderr}`);
  rows.push({ mode: 'raw', ms: raw.ms, rssMb: 0, cpuS: 0 });
  const sync = await run(process.execPath, [join(root, 'bin/airdock'), 'sync', conn, '--json-summary'], env, dir);
  if (sync.code !== 0) throw new Error(`airdock sync failed: ${sync.stderr}`);
  const summary = JSON.parse(sync.stdout.trim().split('\n').pop()!);
  if (summary.recordsCommitted !== records) throw new Error(`committed ${summary.recordsCommitted} of ${records}`);
  bytes = summary.streams[0].bytesEmitted + records; // line bytes plus newlines
  rows.push({ mode: 'airdock', ms: sync.ms, rssMb: sync.rssMb, cpuS: sync.cpuS });
  console.log(`  run ${i + 1}: raw ${raw.ms.toFixed(0)} ms, airdock ${sync.ms.toFixed(0)} ms (own CPU ${sync.cpuS.toFixed(2)} s, RSS ${sync.rssMb.toFixed(0)} MB, ${summary.statesCommitted} states committed, load ${loadavg()[0]!.toFixed(1)})`);
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rawMs = median(rows.filter((r) => r.mode === 'raw').map((r) => r.ms));
const syncMs = median(rows.filter((r) => r.mode === 'airdock').map((r) => r.ms));
const rss = Math.max(...rows.filter((r) => r.mode === 'airdock').map((r) => r.rssMb));
const cpu = median(rows.filter((r) => r.mode === 'airdock').map((r) => r.cpuS));
const line = (name: string, ms: number) => `| ${name} | ${(ms / 1000).toFixed(2)} s | ${Math.round(records / (ms / 1000)).toLocaleString('en-US')} | ${(bytes / 1e6 / (ms / 1000)).toFixed(0)} |`;
console.log('\n| mode | wall (median) | records/s | MB/s |\n|---|---|---|---|');
console.log(line('raw shell pipe `source | destination`', rawMs));
console.log(line('`airdock sync` (process backend, acked state)', syncMs));
console.log(`\nbytes ${(bytes / 1e6).toFixed(0)} MB (${(bytes / records).toFixed(0)} B/record); airdock / raw = ${(rawMs / syncMs).toFixed(2)}× ; airdock peak RSS ${rss.toFixed(0)} MB; airdock's own CPU ${cpu.toFixed(2)} s (${((cpu * 1e9) / records).toFixed(0)} ns/record, start-up included)`);
