/**
 * The executors side by side, as a user runs them (`bin/airdock`, a whole process each time):
 *   - cold start: the first `airdock spec source-faker --executor python` in a fresh AIRDOCK_HOME
 *     (venv made and the package installed, with uv and with pip), and the first spec of the image;
 *   - warm start: `spec` through native, python, manifest (a local manifest file) and image, alternating;
 *   - read throughput of the same package (airbyte-source-faker FAKER_VERSION) through the python
 *     executor and through its image, alternating, median of each.
 *
 *   npm run build && node --import tsx bench/executors.bench.ts [fakerCount] [repeats]
 *
 * Installs come from the CI wheelhouses (scripts/setup/python-wheels.sh, offline) so that the network
 * is not measured; the uv cache is the CI one, so a uv install is the everyday "wheels already cached" case.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { FAKER_IMAGE, FAKER_VERSION } from '../test/support/images.js';
import { cliPath } from '../test/support/repo-paths.js';
import { requireEnv } from '../test/support/services.js';

const fakerCount = Number(process.argv[2] ?? 20_000);
const repeats = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'airdock-bench-exec-'));
// Inputs and outputs here run to gigabytes: remove them however the run ends.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const wheelhouses = requireEnv('AIRDOCK_TEST_WHEELHOUSES').split(':');
const uv = requireEnv('AIRDOCK_TEST_UV');
const rcWheel = requireEnv('AIRDOCK_TEST_ROCKET_CHAT_WHEEL');

const baseEnv = {
  AIRDOCK_OFFLINE: '1', AIRDOCK_REGISTRY: '', AIRDOCK_PYTHON: '', AIRDOCK_LOG_LEVEL: 'info',
  UV_NO_INDEX: '1', UV_FIND_LINKS: wheelhouses.join(','), UV_CACHE_DIR: requireEnv('AIRDOCK_TEST_UV_CACHE'), UV_PYTHON_DOWNLOADS: 'never',
  PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheelhouses.join(' '), PIP_DISABLE_PIP_VERSION_CHECK: '1',
};
const withUv = { PATH: `${dirname(uv)}:${process.env.PATH ?? ''}`, AIRDOCK_PYTHON_INSTALLER: 'uv' };
const withPip = { AIRDOCK_PYTHON_INSTALLER: 'pip' };

interface Run { seconds: number; records: number; code: number | null; stderr: string }

/** One airdock process: wall time from spawn to exit, RECORD lines counted on the way. */
function airdock(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: dir, env: { ...process.env, ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let records = 0;
    let rest = '';
    const err: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('{"type":"RECORD"')) records++;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => err.push(c));
    child.once('error', reject);
    child.once('close', (code) => {
      const r = { seconds: Number(process.hrtime.bigint() - t0) / 1e9, records, code, stderr: err.join('') };
      if (code !== 0) reject(new Error(`airdock ${args.join(' ')} exited ${code}: ${r.stderr.slice(-800)}`));
      else resolve(r);
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (s: number) => s.toFixed(2);
const out: string[] = [];
const say = (line: string) => { out.push(line); console.error(line); };

say(`${new Date().toISOString()}, ${cpus().length} vCPU ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

// Cold: a fresh AIRDOCK_HOME each, so the first spec makes the venv.
const py = ['--executor', 'python', '--version', FAKER_VERSION];
const uvHome = join(dir, 'home-uv');
const pipHome = join(dir, 'home-pip');
const coldUv = await airdock(['spec', 'source-faker', ...py], { ...withUv, AIRDOCK_HOME: uvHome });
const coldPip = await airdock(['spec', 'source-faker', ...py], { ...withPip, AIRDOCK_HOME: pipHome });
const firstImage = await airdock(['spec', FAKER_IMAGE, '--pull', 'never'], { AIRDOCK_HOME: uvHome });
const manifest = join(dir, 'rocket-chat-manifest.yaml');
await new Promise<void>((resolve, reject) => {
  const p = spawn('python3', ['-c', 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("source_rocket_chat/manifest.yaml"))', rcWheel, manifest]);
  p.once('close', (c) => (c === 0 ? resolve() : reject(new Error('cannot extract the Rocket.Chat manifest'))));
});
const coldManifest = await airdock(['spec', `manifest:${manifest}`], { ...withUv, AIRDOCK_HOME: uvHome });

// Warm: alternating, so that a load change hits every executor alike.
const warm: Record<string, number[]> = { native: [], python: [], manifest: [], image: [] };
const warmArgs: Record<string, string[]> = {
  native: ['spec', 'native:source-faker'], python: ['spec', 'source-faker', ...py],
  manifest: ['spec', `manifest:${manifest}`], image: ['spec', FAKER_IMAGE, '--pull', 'never'],
};
for (let i = 0; i < repeats; i++) {
  for (const k of Object.keys(warm)) warm[k]!.push((await airdock(warmArgs[k]!, { ...withUv, AIRDOCK_HOME: uvHome })).seconds);
}

// Read throughput: the same package as a venv and as its image.
const config = join(dir, 'faker.json');
writeFileSync(config, JSON.stringify({ count: fakerCount, seed: 1, records_per_slice: 1000, parallelism: 1 }));
const readArgs = ['--config', config, '--streams', 'users'];
const reads: Record<string, Run[]> = { python: [], image: [], native: [] };
const readRef: Record<string, string[]> = { python: ['source-faker', ...py], image: [FAKER_IMAGE, '--pull', 'never'], native: ['native:source-faker'] };
for (const k of Object.keys(reads)) await airdock(['read', ...readRef[k]!, ...readArgs], { ...withUv, AIRDOCK_HOME: uvHome }); // warm-up
const readRepeats = Math.max(3, Math.ceil(repeats / 2));
for (let i = 0; i < readRepeats; i++) {
  for (const k of Object.keys(reads)) reads[k]!.push(await airdock(['read', ...readRef[k]!, ...readArgs], { ...withUv, AIRDOCK_HOME: uvHome }));
}

say('');
say('| start | executor | s |');
say('|---|---|---|');
say(`| cold: first spec, fresh AIRDOCK_HOME (uv install from cached wheels + spec) | python | ${fmt(coldUv.seconds)} |`);
say(`| cold: first spec, fresh AIRDOCK_HOME (venv + pip install from a local wheelhouse + spec) | python | ${fmt(coldPip.seconds)} |`);
say(`| cold: first spec of the declarative runner (airbyte-cdk venv with uv + spec) | manifest | ${fmt(coldManifest.seconds)} |`);
say(`| first spec of the image (present locally: container create/start, no pull) | image | ${fmt(firstImage.seconds)} |`);
for (const k of Object.keys(warm)) say(`| warm spec, median of ${repeats} (min ${fmt(Math.min(...warm[k]!))}, max ${fmt(Math.max(...warm[k]!))}) | ${k} | ${fmt(median(warm[k]!))} |`);
say('');
say(`| read (faker users, ${fakerCount.toLocaleString('en-US')} records, median of ${readRepeats} alternating) | records | s | records/s | vs image |`);
say('|---|---|---|---|---|');
const imageRps = fakerCount / median(reads.image!.map((r) => r.seconds));
for (const k of Object.keys(reads)) {
  const s = median(reads[k]!.map((r) => r.seconds));
  const n = reads[k]![0]!.records;
  say(`| ${k} | ${n.toLocaleString('en-US')} | ${fmt(s)} | ${Math.round(n / s).toLocaleString('en-US')} | ${(n / s / imageRps).toFixed(2)}× |`);
}
say('');
say(`load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
process.stdout.write(`${out.join('\n')}\n`);
