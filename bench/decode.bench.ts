/**
 * Decoder benchmark (issue: foundation). Feeds the same 1 GiB NDJSON stream, in 64 KiB chunks as a
 * pipe delivers them, to:
 *   - naive:    chunk.toString() + split('\n') + JSON.parse + type check (what most runners do);
 *   - envelope: LineSplitter + classifyLine envelope mode (the runtime's forwarding path);
 *   - full:     LineSplitter + classifyLine full mode (parse + schema-validate every line).
 * Run: node --import tsx bench/decode.bench.ts [GiB=1]
 */
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { classifyLine, LineSplitter } from '../protocol/index.js';

const GIB = Number(process.argv[2] ?? 1) * 1024 ** 3;
const CHUNK = 64 * 1024;

function record(i: number, wide: boolean): string {
  const base = { id: i, created_at: '2024-03-01T12:00:00.000Z', updated_at: '2024-03-02T08:30:00.000Z', name: `Zoë Example ${i}`, email: `user${i}@example.com`, age: 20 + (i % 50), active: i % 3 === 0 };
  const data = wide
    ? { ...base, address: { street: `${i} Long Street`, city: 'Kraków', zip: '30-001', country: 'PL' }, tags: ['a', 'b', 'c'], notes: 'x'.repeat(1500), score: 12345678901234567890 }
    : base;
  return `{"type":"RECORD","record":{"stream":"users","data":${JSON.stringify(data)},"emitted_at":1700000000000}}`;
}

/** A pool of lines (with a STATE every 1000 records), built once per record size. */
const pools = new Map<boolean, Buffer>();
function pool(wide: boolean): Buffer {
  let p = pools.get(wide);
  if (!p) {
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) {
      lines.push(record(i, wide));
      if (i % 1000 === 999) lines.push(`{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":{"cursor":${i}}}}}`);
    }
    p = Buffer.from(`${lines.join('\n')}\n`);
    pools.set(wide, p);
  }
  return p;
}

/** The pool replayed in pipe-sized chunks until `bytes` were produced. */
function* chunks(wide: boolean, bytes: number): Generator<Buffer> {
  const pool_ = pool(wide);
  for (let sent = 0; sent < bytes; ) {
    for (let off = 0; off < pool_.length && sent < bytes; off += CHUNK) {
      const c = pool_.subarray(off, Math.min(off + CHUNK, pool_.length));
      sent += c.length;
      yield c;
    }
  }
}

interface Result { name: string; seconds: number; bytes: number; records: number; peakRssMb: number; rssGrowthMb: number }

function measure(name: string, wide: boolean, run: (c: Buffer, count: () => void) => void, end: (count: () => void) => void): Result {
  pool(wide);
  globalThis.gc?.();
  let records = 0;
  let bytes = 0;
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const count = () => { records++; };
  const t0 = performance.now();
  let n = 0;
  for (const c of chunks(wide, GIB)) {
    bytes += c.length;
    run(c, count);
    if ((++n & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  end(count);
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { name, seconds, bytes, records, peakRssMb: Math.round(peak / 2 ** 20), rssGrowthMb: Math.round((peak - startRss) / 2 ** 20) };
}

function naive(wide: boolean): Result {
  let rest = '';
  return measure('naive split+JSON.parse', wide, (c, count) => {
    const parts = (rest + c.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) {
      const m = JSON.parse(p) as { type?: string };
      if (m.type === 'RECORD') count();
    }
  }, () => {});
}

function ours(wide: boolean, validate: 'envelope' | 'full'): Result {
  const splitter = new LineSplitter();
  let line = 0;
  return measure(`airdock ${validate}`, wide, (c, count) => {
    splitter.push(c, (raw) => {
      const d = classifyLine(raw, ++line, { validate });
      if (d.kind === 'message' && d.type === 'RECORD') count();
    });
  }, () => splitter.end(() => {}));
}

const rows: string[] = [];
for (const wide of [false, true]) {
  const label = wide ? '~2 KB records' : '~200 B records';
  const results = [naive(wide), ours(wide, 'envelope'), ours(wide, 'full')];
  const base = results[0]!;
  for (const r of results) {
    const mbs = r.bytes / 1e6 / r.seconds;
    rows.push(`| ${label} | ${r.name} | ${mbs.toFixed(0)} | ${Math.round(r.records / r.seconds).toLocaleString('en-US')} | ${(base.seconds / r.seconds).toFixed(2)}× | ${r.peakRssMb} | ${r.rssGrowthMb} |`);
  }
}
console.log(`decode benchmark: ${(GIB / 1024 ** 3).toFixed(1)} GiB per run, 64 KiB chunks, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`);
console.log('| records | decoder | MB/s | records/s | vs naive | peak RSS MB | RSS growth MB |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
