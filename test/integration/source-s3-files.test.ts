import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { configureCatalog, runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { sourceS3 } from '../../native-connectors/source-s3/source-s3.js';
import { createTestBucket, putObject, removeTestBucket, s3Client, sourceS3Connection } from '../support/s3.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = (name: string) => readFileSync(join(root, 'test/fixtures/s3', name));
const src = { kind: 'definition' as const, definition: sourceS3 };
const s3 = s3Client();
const buckets: string[] = [];
const bucket = async (label: string) => { const b = await createTestBucket(s3, label); buckets.push(b); return b; };
afterAll(async () => { for (const b of buckets) await removeTestBucket(s3, b); s3.destroy(); });

async function readAll(config: Record<string, unknown>) {
  const d = await runTargetCommand(src, 'discover', { config });
  expect(d.exitCode, JSON.stringify(d.messages.filter((m) => m.type === 'TRACE'))).toBe(0);
  const catalog = d.messages.find((m) => m.type === 'CATALOG')!.catalog!;
  const r = await runTargetCommand(src, 'read', { config, catalog: configureCatalog(catalog) });
  expect(r.exitCode, JSON.stringify(r.messages.filter((m) => m.type === 'TRACE'))).toBe(0);
  const strip = (d: Record<string, unknown>) => { const { _ab_source_file_last_modified: _a, _ab_source_file_url: _b, ...rest } = d; return rest; };
  return {
    properties: (catalog.streams[0]!.json_schema as { properties: Record<string, unknown> }).properties,
    records: r.messages.filter((m) => m.type === 'RECORD').map((m) => strip(m.record!.data as Record<string, unknown>)).sort((a, b) => Number(a.id) - Number(b.id)),
  };
}

describe('native:source-s3 reads files written by other tools as the official connector does', () => {
  it('Parquet written by pyarrow (snappy): types, dates, timestamps, decimals, binary, lists, structs, partitions', async () => {
    const b = await bucket('pyarrow');
    await putObject(s3, b, 'data/year=2024/part.parquet', fixture('pyarrow-types.snappy.parquet'));
    const { properties, records } = await readAll({ ...sourceS3Connection(b), streams: [{ name: 'p', format: { filetype: 'parquet' } }] });
    expect(properties).toMatchObject({
      id: { type: ['null', 'integer'] }, name: { type: ['null', 'string'] }, price: { type: ['null', 'string'] },
      born: { type: ['null', 'string'], format: 'date' }, seen_at: { type: ['null', 'string'], format: 'date-time' },
      raw: { type: ['null', 'string'] }, tags: { type: ['null', 'array'] }, address: { type: ['null', 'object'] },
      flag: { type: ['null', 'boolean'] }, ratio: { type: ['null', 'number'] }, year: { type: ['null', 'string'] },
    });
    expect(records).toEqual([
      { id: 1, name: 'Ann', price: '12.30', born: '1990-01-02', seen_at: '2024-01-02T03:04:05.123456+00:00', local_ts: '2024-05-06T07:08:09', raw: 'hello', tags: ['a', 'b'], address: { city: 'Paris', zip: 75001 }, flag: true, ratio: 0.5, year: '2024' },
      // top-level nulls are left out, as the official connector serialises records; nested ones stay
      { id: 2, price: '-0.05', born: '2000-12-31', seen_at: '2024-01-02T03:04:05+00:00', tags: [], flag: false, year: '2024' },
      { id: 3, name: 'Zoë', raw: '', address: { city: null, zip: 1 }, ratio: 0.001, year: '2024' },
    ]);
  });

  it.each(['deflate', 'snappy'])('Avro written by fastavro (%s): logical types as fastavro outputs them', async (codec) => {
    const b = await bucket(`fastavro-${codec}`);
    await putObject(s3, b, 'people.avro', fixture(`fastavro-types.${codec}.avro`));
    const { properties, records } = await readAll({ ...sourceS3Connection(b), streams: [{ name: 'a', format: { filetype: 'avro' } }] });
    expect(properties).toMatchObject({ id: { type: ['null', 'integer'] }, born: { type: ['null', 'string'], format: 'date' }, score: { type: ['null', 'number'] }, kind: { type: ['null', 'string'], enum: ['A', 'B'] } });
    expect(records).toEqual([
      { id: 1, name: 'Ann', born: '1990-01-02', seen_at: '2024-01-02T03:04:05.123456+00:00', seen_ms: '2024-01-02T03:04:05.123+00:00', price: '12.30', raw: 'hi', score: 1.5, tags: ['x'], address: { city: 'Oslo' }, kind: 'B' },
      { id: 2, born: '2000-12-31', seen_at: '2024-01-02T03:04:05.000000+00:00', seen_ms: '2024-01-02T03:04:05.000+00:00', price: '-0.05', raw: '', score: -2, tags: [], address: { city: 'Rome' }, kind: 'A' },
    ]);
  });

  it('a 1 GB object (gzip JSON lines) is read as a stream in bounded memory', async () => {
    const b = await bucket('big');
    const line = `${JSON.stringify({ id: 0, pad: 'x'.repeat(10_000) })}\n`;
    const lines = 100_000; // 1.0 GB once decompressed
    // compressed piece by piece: the test never holds the gigabyte either
    const gz = createGzip({ level: 1 });
    const parts: Buffer[] = [];
    gz.on('data', (c: Buffer) => parts.push(c));
    const block = Buffer.from(line.repeat(100));
    for (let i = 0; i < lines / 100; i++) if (!gz.write(block)) await once(gz, 'drain');
    gz.end();
    await once(gz, 'end');
    await putObject(s3, b, 'big.jsonl.gz', Buffer.concat(parts));
    const dir = mkdtempSync(join(tmpdir(), 'airdock-s3-big-'));
    const config = { ...sourceS3Connection(b), streams: [{ name: 'big', format: { filetype: 'jsonl' }, input_schema: '{"id": "integer", "pad": "string"}' }] };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const d = await runTargetCommand(src, 'discover', { config });
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(configureCatalog(d.messages.find((m) => m.type === 'CATALOG')!.catalog!)));
    const child = spawn(process.execPath, [join(root, 'dist/native-connectors/source-s3/main.js'), 'read', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let records = 0;
    let tail = '';
    let peakKb = 0;
    const poll = setInterval(() => {
      try { peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0)); } catch { /* exited */ }
    }, 50);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const text = tail + s;
      let i = -1;
      while ((i = text.indexOf('"type":"RECORD"', i + 1)) >= 0) records++;
      tail = text.slice(-20);
    });
    const code = await new Promise<number | null>((r) => child.once('close', r));
    clearInterval(poll);
    expect(code).toBe(0);
    expect(records).toBe(lines);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb / 1024).toBeLessThan(250);
  }, 180_000);
});
