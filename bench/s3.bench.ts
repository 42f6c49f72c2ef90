/**
 * S3 connectors against the S3-compatible test server (moto; scripts/setup/s3.sh), side by side in one run:
 *   destination: faker RECORD lines (pre-generated, from a file) → native:destination-s3 as Parquet SNAPPY and
 *                as JSONL GZIP; the peer is a raw @aws-sdk/lib-storage Upload of the same object bytes;
 *   source:      native:source-s3 reading those objects → /dev/null; the peer is the official Python
 *                airbyte-source-s3 reading the same bucket (run when its venv exists, see below).
 * Reports records/s, MB/s and each connector process's peak RSS (VmHWM).
 * Run (take the bench lock): node --import tsx bench/s3.bench.ts [users] [formats]
 * formats: a comma-separated subset of parquet, jsonl, jsonl-plain (default: all three). AIRDOCK_BENCH_S3_NO_PY=1
 * skips the Python peer (it takes minutes on large inputs); AIRDOCK_BENCH_S3_DESTINATION_ONLY=1 skips the reads.
 * The Python peer: python3 -m venv $AIRDOCK_CI_STATE/venvs/bench-source-s3 and install airbyte-source-s3 4.15.2
 * there (its wheel pins smart-open to its own version, a packaging bug: install it with --no-deps, then its
 * other requirements with smart-open[s3]==5.2.1); or set AIRDOCK_BENCH_PY_SOURCE_S3 to its `source-s3` program.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { removeTestBucket, s3Client, s3Env } from '../test/support/s3.js';

const root = resolve(import.meta.dirname, '..');
const users = Number(process.argv[2] ?? 200_000);
const only = process.argv[3]?.split(',');
const dir = mkdtempSync(join(tmpdir(), 'airdock-bench-s3-'));
// Inputs and outputs here run to gigabytes: remove them however the run ends.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const main = (name: string) => join(root, 'dist/native-connectors', name, 'main.js');
const file = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };
const s3 = s3Client();
const env = s3Env();
const bucket = `bench-s3-${process.pid}-${Date.now()}`;
await s3.send(new CreateBucketCommand({ Bucket: bucket }));
const MB = 1e6;

/** Runs a program, stdin from a file or nothing, stdout to a file or /dev/null; wall time and peak RSS. */
async function run(argv: string[], o: { stdin?: string; stdout?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ ms: number; peakMb: number; code: number | null }> {
  const t0 = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), {
    stdio: [o.stdin ? openSync(o.stdin, 'r') : 'ignore', openSync(o.stdout ?? '/dev/null', 'w'), 'inherit'],
    env: { ...process.env, ...o.env },
  });
  let peakKb = 0;
  const poll = setInterval(() => {
    try { peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0)); } catch { /* gone */ }
  }, 20);
  const code = await new Promise<number | null>((r) => child.once('close', r));
  clearInterval(poll);
  return { ms: performance.now() - t0, peakMb: peakKb / 1024, code };
}

/** RECORD lines in a connector's output, read as a stream (1M users make more than a string can hold). */
async function recordLines(path: string): Promise<number> {
  let n = 0;
  for await (const l of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) if (l.includes('"type":"RECORD"') || l.includes('"type": "RECORD"')) n++;
  return n;
}

const rows: string[] = [];
const report = (name: string, records: number, bytes: number, r: { ms: number; peakMb?: number }) => {
  const s = r.ms / 1000;
  const line = `| ${name} | ${records.toLocaleString('en-US')} | ${s.toFixed(2)} | ${Math.round(records / s).toLocaleString('en-US')} | ${(bytes / MB / s).toFixed(1)} | ${r.peakMb ? Math.round(r.peakMb) : '-'} |`;
  rows.push(line);
  console.log(line);
  return records / s;
};

// 1. faker users as RECORD lines in a file: the destination is timed alone
const fakerCatalog = { streams: [{ stream: JSON.parse(execFileSync(process.execPath, [main('source-faker'), 'discover', '--config', file('f.json', { count: 1 })], { encoding: 'utf8' }).split('\n')[0]!).catalog.streams.find((s: { name: string }) => s.name === 'users'), sync_mode: 'full_refresh', destination_sync_mode: 'append', generation_id: 1, sync_id: 1 }] };
const catalog = file('catalog.json', fakerCatalog);
const input = join(dir, 'users.jsonl');
await run([process.execPath, main('source-faker'), 'read', '--config', file('src.json', { count: users, seed: 1, records_per_slice: 10_000 }), '--catalog', catalog], { stdout: input });
const inputBytes = statSync(input).size;
console.log(`input: ${users} faker users, ${(inputBytes / MB).toFixed(1)} MB of protocol lines; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
console.log('| run | records | s | records/s | MB/s | peak RSS MB |\n|---|---|---|---|---|---|');

const dest = (path: string, format: object) => ({ s3_bucket_name: bucket, s3_bucket_path: path, s3_bucket_region: env.region, s3_endpoint: env.endpoint, access_key_id: env.key, secret_access_key: env.secret, format });
async function objects(prefix: string): Promise<{ key: string; size: number }[]> {
  const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (r.Contents ?? []).map((c) => ({ key: c.Key!, size: c.Size ?? 0 }));
}
async function rawUpload(prefix: string): Promise<{ ms: number; bytes: number }> {
  // the same bytes the destination produced, uploaded with lib-storage (same 8 MiB parts, 4 at once)
  let bytes = 0;
  let ms = 0;
  for (const o of await objects(prefix)) {
    const local = join(dir, 'raw.bin');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.key }));
    writeFileSync(local, Buffer.from(await got.Body!.transformToByteArray()));
    const t0 = performance.now();
    await new Upload({ client: s3, params: { Bucket: bucket, Key: `raw/${o.key}`, Body: createReadStream(local) }, partSize: 8 << 20, queueSize: 4 }).done();
    ms += performance.now() - t0;
    bytes += o.size;
  }
  return { ms, bytes };
}

const formats: [string, string, object, string][] = [
  ['Parquet SNAPPY', 'parquet', { format_type: 'Parquet', compression_codec: 'SNAPPY' }, 'parquet'],
  ['JSONL GZIP', 'jsonl', { format_type: 'JSONL', compression: { compression_type: 'GZIP' } }, 'jsonl'],
  // no encoding cost: the destination against the raw upload on (nearly) the same bytes
  ['JSONL uncompressed', 'jsonl-plain', { format_type: 'JSONL' }, 'jsonl'],
];
try {
  const ratios: string[] = [];
  for (const [label, prefix, format, filetype] of formats.filter(([, prefix]) => !only || only.includes(prefix))) {
    const w = await run([process.execPath, main('destination-s3'), 'write', '--config', file(`d-${prefix}.json`, dest(prefix, format)), '--catalog', catalog], { stdin: input });
    if (w.code !== 0) throw new Error(`destination-s3 ${label} failed`);
    const objs = await objects(`${prefix}/`);
    const objectBytes = objs.reduce((n, o) => n + o.size, 0);
    report(`faker → native destination-s3, ${label} (${(objectBytes / MB).toFixed(1)} MB of objects)`, users, objectBytes, w);
    const raw = await rawUpload(`${prefix}/`);
    report(`raw lib-storage Upload of the same ${label} bytes`, users, raw.bytes, raw);
    ratios.push(`destination ${label}: ${((objectBytes / w.ms) / (raw.bytes / raw.ms)).toFixed(2)}x the raw upload's MB/s (object bytes), ${(inputBytes / MB / (w.ms / 1000)).toFixed(1)} MB/s of input`);

    if (process.env.AIRDOCK_BENCH_S3_DESTINATION_ONLY) continue;
    const srcConfig = file(`s-${prefix}.json`, { bucket, endpoint: env.endpoint, region_name: env.region, aws_access_key_id: env.key, aws_secret_access_key: env.secret, streams: [{ name: 'users', globs: [`${prefix}/**`], format: { filetype } }] });
    const discovered = JSON.parse(execFileSync(process.execPath, [main('source-s3'), 'discover', '--config', srcConfig], { encoding: 'utf8' }).split('\n').find((l) => l.includes('"CATALOG"'))!);
    const srcCatalog = file(`sc-${prefix}.json`, { streams: discovered.catalog.streams.map((s: object) => ({ stream: s, sync_mode: 'full_refresh', destination_sync_mode: 'append' })) });
    const out = join(dir, `out-${prefix}.jsonl`);
    const r = await run([process.execPath, main('source-s3'), 'read', '--config', srcConfig, '--catalog', srcCatalog], { stdout: out });
    const n = await recordLines(out);
    const ours = report(`native source-s3 ← ${label} → /dev/null`, n, objectBytes, r);
    const py = process.env.AIRDOCK_BENCH_PY_SOURCE_S3 ?? join(process.env.AIRDOCK_CI_STATE ?? '/var/lib/airdock-ci', 'venvs/bench-source-s3/bin/source-s3');
    if (existsSync(py) && !process.env.AIRDOCK_BENCH_S3_NO_PY) {
      const pyOut = join(dir, `py-${prefix}.jsonl`);
      const p = await run([py, 'read', '--config', srcConfig, '--catalog', srcCatalog], { stdout: pyOut });
      const pn = await recordLines(pyOut);
      const theirs = report(`official Python source-s3 4.15.2 ← ${label} → /dev/null`, pn, objectBytes, p);
      ratios.push(`source ${label}: ${(ours / theirs).toFixed(1)}x the official connector's records/s`);
    }
  }
  console.log(ratios.join('\n'));
  console.log(`load after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
} finally {
  // the test server keeps objects until they are deleted (a run writes ~0.5 GB per 200k users): the
  // bucket goes also when a run fails half-way
  await removeTestBucket(s3, bucket);
  s3.destroy();
}
