import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import { configureCatalog, describeDestinationConformance, runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { destinationS3 } from '../../native-connectors/destination-s3/destination-s3.js';
import { sourceS3 } from '../../native-connectors/source-s3/source-s3.js';
import { createTestBucket, getObject, listKeys, putObject, removeTestBucket, s3Client, s3Env, sourceS3Connection, testBucketName } from '../support/s3.js';

const root = resolve(import.meta.dirname, '../..');
const mainJs = join(root, 'dist/native-connectors/destination-s3/main.js');
const dest = { kind: 'definition' as const, definition: destinationS3 };
const s3 = s3Client();
const buckets: string[] = [];
const bucket = async (label: string) => { const b = await createTestBucket(s3, label); buckets.push(b); return b; };
afterAll(async () => { for (const b of buckets) await removeTestBucket(s3, b); s3.destroy(); });

function destConfig(b: string, format: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const e = s3Env();
  return { s3_bucket_name: b, s3_bucket_path: 'airbyte/out', s3_bucket_region: e.region, s3_endpoint: e.endpoint, access_key_id: e.key, secret_access_key: e.secret, format, ...extra };
}

const usersSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, score: { type: 'number' }, active: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } }, address: { type: 'object', properties: { city: { type: 'string' } } } } };
function catalog(mode: 'append' | 'overwrite' = 'append', namespace = 'public'): ConfiguredAirbyteCatalog {
  return { streams: [{ stream: { name: 'users', namespace, json_schema: usersSchema, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'full_refresh', destination_sync_mode: mode, generation_id: 3, minimum_generation_id: mode === 'overwrite' ? 3 : 0, sync_id: 77 }] } as ConfiguredAirbyteCatalog;
}
const user = (id: number) => ({ id, name: `user "${id}", the ${id}th`, score: id + 0.5, active: id % 2 === 0, tags: ['a', `t${id}`], address: { city: `C${id}` } });
const recordLine = (id: number, namespace = 'public') => JSON.stringify({ type: 'RECORD', record: { stream: 'users', namespace, emitted_at: 1_700_000_000_000 + id, data: user(id) } });
const stateLine = (n: number) => JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'users', namespace: 'public' }, stream_state: { upto: n } } } });
const input = (n: number) => [...Array.from({ length: n }, (_, i) => recordLine(i + 1)), stateLine(n)];

const conformanceBucket = testBucketName('dest-conformance');
beforeAll(async () => { buckets.push(await createTestBucket(s3, 'dest-conformance', conformanceBucket)); });
describeDestinationConformance('native:destination-s3 (process)', { kind: 'command', argv: [process.execPath, mainJs] }, {
  config: destConfig(conformanceBucket, { format_type: 'JSONL', compression: { compression_type: 'GZIP' } }),
});

describe('native:destination-s3 writes the official layout', () => {
  it('JSON lines (gzip) at the default path, Airbyte columns first, STATE echoed', async () => {
    const b = await bucket('jsonl');
    const before = Date.now();
    const r = await runTargetCommand(dest, 'write', { config: destConfig(b, { format_type: 'JSONL', compression: { compression_type: 'GZIP' } }), catalog: catalog(), stdinLines: input(3) });
    expect(r.exitCode).toBe(0);
    expect(r.rawLines.filter((l) => l.includes('"STATE"'))).toEqual([stateLine(3)]);
    const keys = await listKeys(s3, b);
    expect(keys).toHaveLength(1);
    const m = /^airbyte\/out\/public\/users\/(\d{4})_(\d{2})_(\d{2})_(\d+)_0\.jsonl\.gz$/.exec(keys[0]!);
    expect(m, keys[0]).not.toBeNull();
    expect(Number(m![4])).toBeGreaterThanOrEqual(before);
    const lines = gunzipSync(await getObject(s3, b, keys[0]!)).toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(lines[0])).toEqual(['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_meta', '_airbyte_generation_id', '_airbyte_data']);
    expect(lines[0]).toMatchObject({ _airbyte_extracted_at: 1_700_000_000_001, _airbyte_meta: { sync_id: 77, changes: [] }, _airbyte_generation_id: 3, _airbyte_data: user(1) });
    expect(new Set(lines.map((l) => l._airbyte_raw_id)).size).toBe(3);
  });

  it('CSV with root-level flattening: one column per schema property, CRLF, minimal quoting', async () => {
    const b = await bucket('csv');
    const r = await runTargetCommand(dest, 'write', { config: destConfig(b, { format_type: 'CSV', flattening: 'Root level flattening', compression: { compression_type: 'No Compression' } }), catalog: catalog(), stdinLines: input(2) });
    expect(r.exitCode).toBe(0);
    const [key] = await listKeys(s3, b);
    expect(key).toMatch(/_0\.csv$/);
    const text = (await getObject(s3, b, key!)).toString();
    const rows = text.split('\r\n');
    expect(rows[0]).toBe('_airbyte_raw_id,_airbyte_extracted_at,_airbyte_meta,_airbyte_generation_id,id,name,score,active,tags,address');
    expect(rows[1]).toMatch(/^[0-9a-f-]{36},1700000000001,"{""sync_id"":77,""changes"":\[\]}",3,1,"user ""1"", the 1th",1.5,false,"\[""a"",""t1""\]","{""city"":""C1""}"$/);
  });

  it('round trip: the source reads back what the destination wrote (types kept)', async () => {
    const b = await bucket('roundtrip');
    expect((await runTargetCommand(dest, 'write', { config: destConfig(b, { format_type: 'JSONL', flattening: 'Root level flattening', compression: { compression_type: 'GZIP' } }), catalog: catalog(), stdinLines: input(50) })).exitCode).toBe(0);
    const config = { ...sourceS3Connection(b), streams: [{ name: 'users', globs: ['airbyte/out/public/users/*.jsonl.gz'], format: { filetype: 'jsonl' } }] };
    const d = await runTargetCommand({ kind: 'definition', definition: sourceS3 }, 'discover', { config });
    const read = await runTargetCommand({ kind: 'definition', definition: sourceS3 }, 'read', { config, catalog: configureCatalog(d.messages.find((m) => m.type === 'CATALOG')!.catalog!) });
    const got = read.messages.filter((m) => m.type === 'RECORD').map((m) => m.record!.data as Record<string, unknown>).sort((x, y) => (x.id as number) - (y.id as number));
    expect(got).toHaveLength(50);
    for (const [i, g] of got.entries()) expect({ id: g.id, name: g.name, score: g.score, active: g.active, tags: g.tags, address: g.address }).toEqual(user(i + 1));
  });

  it('path format variables and the file name pattern', async () => {
    const b = await bucket('paths');
    const config = destConfig(b, { format_type: 'JSONL' }, {
      s3_path_format: '${NAMESPACE}/${STREAM_NAME}/y=${YEAR}/m=${MONTH}/d=${DAY}/h=${HOUR}/${MINUTE}-${SECOND}-${MILLISECOND}/${EPOCH}/${UUID}/',
      file_name_pattern: '{date}_{date:yyyy_MM}_{sync_id}_{part_number}{format_extension}',
    });
    const t = new Date();
    expect((await runTargetCommand(dest, 'write', { config, catalog: catalog('append', 'my ns'), stdinLines: [recordLine(1, 'my ns')] })).exitCode).toBe(0);
    const [key] = await listKeys(s3, b);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const re = new RegExp(`^airbyte/out/my_ns/users/y=${t.getUTCFullYear()}/m=${p(t.getUTCMonth() + 1)}/d=\\d{2}/h=\\d{2}/\\d{2}-\\d{2}-\\d{4}/\\d{13}/[0-9a-f-]{36}/${t.getUTCFullYear()}_${p(t.getUTCMonth() + 1)}_\\d{2}_${t.getUTCFullYear()}_${p(t.getUTCMonth() + 1)}_77_0\\.jsonl$`);
    expect(key).toMatch(re);
  });

  it('append never reuses a key; overwrite removes older objects only after the new ones are complete', async () => {
    const b = await bucket('overwrite');
    const config = destConfig(b, { format_type: 'JSONL' }, { s3_path_format: '${NAMESPACE}/${STREAM_NAME}/' });
    expect((await runTargetCommand(dest, 'write', { config, catalog: catalog('append'), stdinLines: input(2) })).exitCode).toBe(0);
    expect((await runTargetCommand(dest, 'write', { config, catalog: catalog('append'), stdinLines: input(2) })).exitCode).toBe(0);
    expect((await listKeys(s3, b)).sort()).toEqual(['airbyte/out/public/users/0.jsonl', 'airbyte/out/public/users/1.jsonl']);
    await putObject(s3, b, 'airbyte/out/public/users/notes.txt', 'not ours');
    // an overwrite sync killed half-way leaves the old objects alone
    const dir = mkdtempSync(join(tmpdir(), 'airdock-s3-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog('overwrite')));
    const killed = spawn(process.execPath, [mainJs, 'write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
    killed.stdin.write(`${input(5).slice(0, 5).join('\n')}\n`);
    await new Promise((r) => setTimeout(r, 500));
    killed.kill('SIGKILL');
    await new Promise((r) => killed.once('close', r));
    expect((await listKeys(s3, b)).sort()).toEqual(['airbyte/out/public/users/0.jsonl', 'airbyte/out/public/users/1.jsonl', 'airbyte/out/public/users/notes.txt']);
    const ok = await runTargetCommand(dest, 'write', { config, catalog: catalog('overwrite'), stdinLines: input(1) });
    expect(ok.exitCode).toBe(0);
    const keys = (await listKeys(s3, b)).sort();
    expect(keys).toEqual(['airbyte/out/public/users/2.jsonl', 'airbyte/out/public/users/notes.txt']);
  });

  it('an overwrite whose source did not finish (STREAM_STATUS INCOMPLETE) keeps the old objects and removes its own', async () => {
    const b = await bucket('incomplete');
    const config = destConfig(b, { format_type: 'JSONL' }, { s3_path_format: '${NAMESPACE}/${STREAM_NAME}/' });
    expect((await runTargetCommand(dest, 'write', { config, catalog: catalog('overwrite'), stdinLines: input(2) })).exitCode).toBe(0);
    const before = (await listKeys(s3, b)).sort();
    const status = (s: string) => JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'users', namespace: 'public' }, status: s } } });
    const failed = await runTargetCommand(dest, 'write', { config, catalog: catalog('overwrite'), stdinLines: [...input(3), status('INCOMPLETE')] });
    expect(failed.exitCode).toBe(0);
    expect((await listKeys(s3, b)).sort()).toEqual(before);
    const done = await runTargetCommand(dest, 'write', { config, catalog: catalog('overwrite'), stdinLines: [...input(3), status('COMPLETE')] });
    expect(done.exitCode).toBe(0);
    const after = await listKeys(s3, b);
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
  });

  it('echoes a STATE only once the objects before it are complete in the bucket', async () => {
    const b = await bucket('barrier');
    const dir = mkdtempSync(join(tmpdir(), 'airdock-s3-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(destConfig(b, { format_type: 'JSONL' }, { flush_interval_seconds: 1 })));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog()));
    const child = spawn(process.execPath, [mainJs, 'write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise((r) => setTimeout(r, 1200));
    child.stdin.write(`${input(100).join('\n')}\n`);
    const echoed = await new Promise<string>((res) => { let out = ''; child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; if (out.includes('"STATE"')) res(out); }); });
    const keys = await listKeys(s3, b);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    expect(echoed).toContain('"upto":100');
    expect(keys).toHaveLength(1);
    expect((await getObject(s3, b, keys[0]!)).toString().trim().split('\n')).toHaveLength(100);
  });

  it('a Parquet spool left by a killed destination is removed by the next run', async () => {
    const b = await bucket('spool');
    const dir = mkdtempSync(join(tmpdir(), 'airdock-s3-spool-'));
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(destConfig(b, { format_type: 'Parquet', compression_codec: 'SNAPPY' })));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog()));
    const write = () => spawn(process.execPath, [mainJs, 'write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: tmp } });
    const killed = write();
    killed.stdin.write(`${input(50).slice(0, 50).join('\n')}\n`);
    for (let i = 0; i < 100 && readdirSync(tmp).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const spool = readdirSync(tmp);
    expect(spool).toHaveLength(1);
    killed.kill('SIGKILL');
    await new Promise((r) => killed.once('close', r));
    const next = write();
    next.stdin.end(`${input(2).join('\n')}\n`);
    expect(await new Promise((r) => next.once('close', r))).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM during a multipart upload leaves no incomplete upload behind', async () => {
    const b = await bucket('abort');
    const dir = mkdtempSync(join(tmpdir(), 'airdock-s3-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(destConfig(b, { format_type: 'JSONL' }, { part_size_mb: 5 })));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog()));
    const child = spawn(process.execPath, [mainJs, 'write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const big = 'x'.repeat(10_000);
    const line = JSON.stringify({ type: 'RECORD', record: { stream: 'users', namespace: 'public', emitted_at: 1, data: { id: 1, name: big } } });
    for (let i = 0; i < 1500; i++) if (!child.stdin.write(`${line}\n`)) await new Promise((r) => child.stdin.once('drain', r)); // ~15 MB: parts in flight
    let uploads = 0;
    for (let i = 0; i < 50 && uploads === 0; i++) {
      uploads = (await s3.send(new ListMultipartUploadsCommand({ Bucket: b }))).Uploads?.length ?? 0;
      if (uploads === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(uploads).toBe(1);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect(code).not.toBe(0);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: b }))).Uploads ?? []).toEqual([]);
    expect(await listKeys(s3, b)).toEqual([]);
  });
});

describe('round trips: every format and compression, written by the destination and read back by the source', () => {
  const typedSchema = { type: 'object', properties: {
    id: { type: 'integer' }, name: { type: ['null', 'string'] }, score: { type: 'number' }, active: { type: 'boolean' },
    born: { type: 'string', format: 'date' }, seen_at: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
    tags: { type: 'array', items: { type: 'string' } }, address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'integer' } } },
  } };
  const row = (i: number) => ({ id: i, name: i % 5 === 0 ? null : `n${i} "q", é`, score: i / 4, active: i % 2 === 1, born: `2000-01-${String((i % 28) + 1).padStart(2, '0')}`, seen_at: `2024-03-04T05:06:${String(i % 60).padStart(2, '0')}.123456+00:00`, tags: [`t${i}`, 'x'], address: { city: `c${i}`, zip: 1000 + i } });
  const typedCatalog = { streams: [{ stream: { name: 'typed', namespace: 'ns', json_schema: typedSchema, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append', generation_id: 1, minimum_generation_id: 0, sync_id: 5 }] };
  const lines = [...Array.from({ length: 40 }, (_, i) => JSON.stringify({ type: 'RECORD', record: { stream: 'typed', namespace: 'ns', emitted_at: 1_700_000_000_000, data: row(i + 1) } })), JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'typed', namespace: 'ns' }, stream_state: { n: 40 } } } })];

  const cases: [string, Record<string, unknown>, string, string][] = [
    ...['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD', 'BROTLI', 'LZ4'].map((c) => [`Parquet ${c}`, { format_type: 'Parquet', compression_codec: c }, 'parquet', '.parquet'] as [string, Record<string, unknown>, string, string]),
    ...[{ codec: 'no compression' }, { codec: 'Deflate', compression_level: 5 }, { codec: 'snappy' }].map((c) => [`Avro ${c.codec}`, { format_type: 'Avro', compression_codec: c }, 'avro', '.avro'] as [string, Record<string, unknown>, string, string]),
    ['JSONL gzip', { format_type: 'JSONL', flattening: 'Root level flattening', compression: { compression_type: 'GZIP' } }, 'jsonl', '.jsonl.gz'],
    ['CSV gzip', { format_type: 'CSV', flattening: 'Root level flattening', compression: { compression_type: 'GZIP' } }, 'csv', '.csv.gz'],
  ];

  it.each(cases)('%s', async (label, format, filetype, ext) => {
    const b = await bucket(`rt-${label}`);
    const w = await runTargetCommand(dest, 'write', { config: destConfig(b, format), catalog: typedCatalog, stdinLines: lines });
    expect(w.exitCode, JSON.stringify(w.messages.filter((m) => m.type === 'TRACE'))).toBe(0);
    expect(w.rawLines.filter((l) => l.includes('"STATE"'))).toHaveLength(1);
    const keys = await listKeys(s3, b);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.endsWith(`_0${ext}`)).toBe(true);
    const config = { ...sourceS3Connection(b), streams: [{ name: 'typed', globs: ['airbyte/out/**'], format: { filetype } }] };
    const d = await runTargetCommand({ kind: 'definition', definition: sourceS3 }, 'discover', { config });
    const discovered = d.messages.find((m) => m.type === 'CATALOG')!.catalog!;
    const props = (discovered.streams[0]!.json_schema as { properties: Record<string, { type: unknown; format?: string }> }).properties;
    const read = await runTargetCommand({ kind: 'definition', definition: sourceS3 }, 'read', { config, catalog: configureCatalog(discovered) });
    expect(read.exitCode, JSON.stringify(read.messages.filter((m) => m.type === 'TRACE' || m.type === 'LOG'))).toBe(0);
    const got = read.messages.filter((m) => m.type === 'RECORD').map((m) => m.record!.data as Record<string, unknown>).sort((x, y) => Number(x.id) - Number(y.id));
    expect(got).toHaveLength(40);
    expect(got[0]).toMatchObject({ _airbyte_generation_id: filetype === 'csv' ? '1' : 1 });
    if (filetype === 'csv') {
      // CSV has no types: every value comes back as the text the destination wrote
      expect(got.map((g) => [g.id, g.name, g.score, g.active, g.born])).toEqual(Array.from({ length: 40 }, (_, i) => { const r = row(i + 1); return [String(r.id), r.name ?? '', String(r.score), String(r.active), r.born]; }));
      expect(JSON.parse(got[2]!.address as string)).toEqual(row(3).address);
      return;
    }
    // typed formats keep their types
    expect(props.id!.type).toEqual(['null', 'integer']);
    expect(props.score!.type).toEqual(['null', 'number']);
    expect(props.active!.type).toEqual(['null', 'boolean']);
    for (const [i, g] of got.entries()) {
      const r = row(i + 1);
      expect({ id: g.id, name: g.name ?? null, score: g.score, active: g.active, tags: g.tags, address: g.address }).toEqual({ id: r.id, name: r.name, score: r.score, active: r.active, tags: r.tags, address: r.address });
      expect(g.born).toBe(r.born);
      expect(new Date(String(g.seen_at)).getTime()).toBe(new Date(r.seen_at).getTime());
    }
    if (filetype !== 'jsonl') {
      expect(props.born).toMatchObject({ format: 'date' });
      expect(got[0]!.seen_at).toBe('2024-03-04T05:06:01.123456+00:00');
    }
  });

  it('objects rotate at file_size_mb; Parquet row groups hold at most 16,384 rows (bounded memory)', async () => {
    const b = await bucket('rotate');
    const n = 24_000;
    const w = await runTargetCommand(dest, 'write', { config: destConfig(b, { format_type: 'Parquet', compression_codec: 'SNAPPY' }, { file_size_mb: 6 }), catalog: catalog(), stdinLines: input(n) });
    expect(w.exitCode, JSON.stringify(w.messages.filter((m) => m.type === 'TRACE'))).toBe(0);
    const keys = (await listKeys(s3, b)).sort();
    expect(keys.map((k) => k.slice(-10))).toEqual(['_0.parquet', '_1.parquet']);
    const dir = mkdtempSync(join(tmpdir(), 'airdock-s3-rotate-'));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const files = await Promise.all(keys.map(async (k, i) => { const f = join(dir, `${i}.parquet`); writeFileSync(f, await getObject(s3, b, k)); return f; }));
      const groups = (await conn.runAndReadAll(`SELECT file_name, row_group_id, max(row_group_num_rows) FROM parquet_metadata([${files.map((f) => `'${f}'`).join(', ')}]) GROUP BY ALL ORDER BY ALL`)).getRows().map((r) => [files.indexOf(String(r[0])), Number(r[2])]);
      // the first object passed 6 MiB of rows: more than one row group, none above 16,384 rows
      expect(groups.filter(([f]) => f === 0).map(([, rows]) => rows)[0]).toBe(16_384);
      expect(groups.filter(([f]) => f === 0).length).toBeGreaterThan(1);
      expect(groups.reduce((t, [, rows]) => t + rows!, 0)).toBe(n);
      // every record once, in input order across the objects
      const ids = (await conn.runAndReadAll(`SELECT id FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}], file_row_number = true, filename = true) ORDER BY filename, file_row_number`)).getRows().map((r) => Number(r[0]));
      expect(ids).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    } finally {
      conn.closeSync();
      db.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects codecs it does not have with a config error at check', async () => {
    const b = await bucket('bad-codec');
    for (const format of [{ format_type: 'Parquet', compression_codec: 'LZO' }, { format_type: 'Avro', compression_codec: { codec: 'xz', compression_level: 6 } }]) {
      const r = await runTargetCommand(dest, 'check', { config: destConfig(b, format) });
      const status = r.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!;
      expect(status.status).toBe('FAILED');
      expect(status.message).toContain('not supported');
    }
  });
});
