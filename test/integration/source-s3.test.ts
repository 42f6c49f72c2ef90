import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import { configureCatalog, describeSourceConformance, runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { sourceS3 } from '../../native-connectors/source-s3/source-s3.js';
import { createTestBucket, testBucketName, putObject, removeTestBucket, s3Client, sourceS3Connection } from '../support/s3.js';

const root = resolve(import.meta.dirname, '../..');
const inProcess = { kind: 'definition' as const, definition: sourceS3 };
const processTarget = { kind: 'command' as const, argv: [process.execPath, join(root, 'dist/native-connectors/source-s3/main.js')] };
const s3 = s3Client();
const buckets: string[] = [];
const bucket = async (label: string) => { const b = await createTestBucket(s3, label); buckets.push(b); return b; };
afterAll(async () => { for (const b of buckets) await removeTestBucket(s3, b); s3.destroy(); });

const records = (ms: AirbyteMessage[], stream?: string) => ms.filter((m) => m.type === 'RECORD' && (!stream || m.record!.stream === stream)).map((m) => m.record!.data as Record<string, unknown>);
const states = (ms: AirbyteMessage[]) => ms.filter((m) => m.type === 'STATE').map((m) => m.state!);

async function discoverAndRead(config: Record<string, unknown>, state?: unknown, target: typeof inProcess | typeof processTarget = inProcess) {
  const d = await runTargetCommand(target, 'discover', { config });
  expect(d.exitCode, JSON.stringify(d.messages.filter((m) => m.type === 'TRACE'))).toBe(0);
  const catalog = configureCatalog(d.messages.find((m) => m.type === 'CATALOG')!.catalog!);
  const r = await runTargetCommand(target, 'read', { config, catalog, ...(state === undefined ? {} : { state }) });
  return { discovered: catalog, read: r };
}

// The kit reads its config when the tests are collected, so the name is fixed first and the bucket made before they run.
const conformanceBucket = testBucketName('conformance');
beforeAll(async () => {
  buckets.push(await createTestBucket(s3, 'conformance', conformanceBucket));
  await putObject(s3, conformanceBucket, 'data/a.csv', 'id,name\n1,Ann\n2,Bob\n');
});
describeSourceConformance('native:source-s3 (process)', processTarget, {
  config: { ...sourceS3Connection(conformanceBucket), streams: [{ name: 'people', globs: ['data/*.csv'], format: { filetype: 'csv' } }] },
});

describe('native:source-s3 reads CSV and JSON lines', () => {
  it('reads CSV with the official columns, string types by default and nullable discovery', async () => {
    const b = await bucket('csv');
    await putObject(s3, b, 'in/2024/people.csv', 'id,name,active\n1,Ann,true\n2,"Bob, Jr.",false\n');
    await putObject(s3, b, 'in/2024/notes.txt', 'ignored');
    const config = { ...sourceS3Connection(b), streams: [{ name: 'people', globs: ['in/**/*.csv'], format: { filetype: 'csv' } }] };
    const { discovered, read } = await discoverAndRead(config);
    expect(discovered.streams[0]!.stream.json_schema).toEqual({
      type: 'object',
      properties: {
        _ab_source_file_last_modified: { type: 'string' }, _ab_source_file_url: { type: 'string' },
        id: { type: ['null', 'string'] }, name: { type: ['null', 'string'] }, active: { type: ['null', 'string'] },
      },
    });
    expect(read.exitCode).toBe(0);
    const rows = records(read.messages);
    expect(rows.map((r) => [r.id, r.name, r.active, r._ab_source_file_url])).toEqual([['1', 'Ann', 'true', 'in/2024/people.csv'], ['2', 'Bob, Jr.', 'false', 'in/2024/people.csv']]);
    expect(rows[0]!._ab_source_file_last_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Object.keys(rows[0]!).slice(-2)).toEqual(['_ab_source_file_last_modified', '_ab_source_file_url']);
  });

  it('infers primitive types when asked and casts values, nulls included', async () => {
    const b = await bucket('csv-infer');
    await putObject(s3, b, 'x.csv', 'id;price;ok;note\n1;1.5;yes;NA\n2;3;no;hi\n');
    const format = { filetype: 'csv', delimiter: ';', inference_type: 'Primitive Types Only', null_values: ['NA'] };
    const { discovered, read } = await discoverAndRead({ ...sourceS3Connection(b), streams: [{ name: 's', format }] });
    const props = (discovered.streams[0]!.stream.json_schema as { properties: Record<string, unknown> }).properties;
    expect(props).toMatchObject({ id: { type: ['null', 'integer'] }, price: { type: ['null', 'number'] }, ok: { type: ['null', 'boolean'] }, note: { type: ['null', 'string'] } });
    // a null value is left out of the record, as the official connector serialises records
    expect(records(read.messages).map(({ id, price, ok, note }) => ({ id, price, ok, note }))).toEqual([
      { id: 1, price: 1.5, ok: true, note: undefined }, { id: 2, price: 3, ok: false, note: 'hi' },
    ]);
    expect(Object.keys(records(read.messages)[0]!)).not.toContain('note');
  });

  it('reads gzip and zstd compressed JSON lines (zstd made by the reference tool) and multi-line objects', async () => {
    const b = await bucket('jsonl');
    await putObject(s3, b, 'j/a.jsonl.gz', gzipSync('{"id":3,"name":"Cy"}\n{\n  "id": 4,\n  "name": "Di"\n}\n'));
    await putObject(s3, b, 'j/b.jsonl.zst', readFileSync(join(root, 'test/fixtures/s3/users.jsonl.zst')));
    const { discovered, read } = await discoverAndRead({ ...sourceS3Connection(b), streams: [{ name: 'users', globs: ['j/*'], format: { filetype: 'jsonl' } }] });
    const props = (discovered.streams[0]!.stream.json_schema as { properties: Record<string, unknown> }).properties;
    expect(props).toMatchObject({ id: { type: ['null', 'integer'] }, name: { type: ['null', 'string'] }, score: { type: ['null', 'number'] }, tags: { type: ['null', 'array'] } });
    expect(read.exitCode).toBe(0);
    expect(records(read.messages).map((r) => r.id).sort()).toEqual([1, 2, 3, 4]);
  });

  it('a broken file is reported as a config_error after the good files were read', async () => {
    const b = await bucket('broken');
    await putObject(s3, b, 'a.jsonl', '{"id":1}\n');
    const config = { ...sourceS3Connection(b), streams: [{ name: 's', format: { filetype: 'jsonl' } }] };
    const d = await runTargetCommand(inProcess, 'discover', { config });
    await putObject(s3, b, 'b.jsonl', '{"id":2}\nnot json\n');
    const read = await runTargetCommand(inProcess, 'read', { config, catalog: configureCatalog(d.messages.find((m) => m.type === 'CATALOG')!.catalog!) });
    expect(read.exitCode).toBe(1);
    expect(records(read.messages).map((r) => r.id)).toContain(1);
    const trace = read.messages.find((m) => m.type === 'TRACE' && m.trace!.type === 'ERROR')!.trace!.error!;
    expect(trace.failure_type).toBe('config_error');
    expect(trace.message).toContain('AIRDOCK_FILE_FORMAT');
    expect(trace.message).toContain('b.jsonl');
  });

  it('a missing bucket fails check with a clear message', async () => {
    const r = await runTargetCommand(inProcess, 'check', { config: { ...sourceS3Connection('no-such-bucket-airdock'), streams: [{ name: 's', format: { filetype: 'csv' } }] } });
    const status = r.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!;
    expect(status.status).toBe('FAILED');
    expect(status.message).toContain('AIRDOCK_OBJECT_STORE_ACCESS');
    expect(status.message).toContain('NoSuchBucket');
  });
});

describe('native:source-s3 incremental reads', () => {
  it('reads only new and modified files, with the official state shape', async () => {
    const b = await bucket('incr');
    await putObject(s3, b, 'd/1.jsonl', '{"v":1}\n');
    await putObject(s3, b, 'd/2.jsonl', '{"v":2}\n');
    const config = { ...sourceS3Connection(b), streams: [{ name: 's', globs: ['d/*.jsonl'], format: { filetype: 'jsonl' } }] };
    const first = await discoverAndRead(config);
    expect(records(first.read.messages).map((r) => r.v).sort()).toEqual([1, 2]);
    const last = states(first.read.messages).at(-1)!;
    const ss = last.stream!.stream_state as { history: Record<string, string>; _ab_source_file_last_modified: string };
    expect(Object.keys(ss.history).sort()).toEqual(['d/1.jsonl', 'd/2.jsonl']);
    expect(ss._ab_source_file_last_modified).toMatch(/^\d{4}-\d\d-\d\dT[\d:]{8}\.\d{6}Z_d\/[12]\.jsonl$/);

    await new Promise((r) => setTimeout(r, 1100)); // S3 last-modified has one-second resolution
    await putObject(s3, b, 'd/2.jsonl', '{"v":22}\n');
    await putObject(s3, b, 'd/3.jsonl', '{"v":3}\n');
    const second = await runTargetCommand(inProcess, 'read', { config, catalog: first.discovered, state: [last] });
    expect(records(second.messages).map((r) => r.v).sort()).toEqual([22, 3]);
    const third = await runTargetCommand(inProcess, 'read', { config, catalog: first.discovered, state: [states(second.messages).at(-1)] });
    expect(records(third.messages)).toEqual([]);
  });

  it('accepts a state written by the official connector', async () => {
    const b = await bucket('official-state');
    await putObject(s3, b, 'old.csv', 'a\n1\n');
    await putObject(s3, b, 'new.csv', 'a\n2\n');
    const config = { ...sourceS3Connection(b), streams: [{ name: 'data', format: { filetype: 'csv' } }] };
    const d = await runTargetCommand(inProcess, 'discover', { config });
    const catalog: ConfiguredAirbyteCatalog = configureCatalog(d.messages.find((m) => m.type === 'CATALOG')!.catalog!);
    // the official connector's state after syncing old.csv (a far-future time marks it as already synced)
    const official = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'data' }, stream_state: { history: { 'old.csv': '2999-01-01T00:00:00.000000Z' }, _ab_source_file_last_modified: '2999-01-01T00:00:00.000000Z_old.csv' } } }];
    const r = await runTargetCommand(inProcess, 'read', { config, catalog, state: official });
    expect(records(r.messages).map((x) => x.a)).toEqual(['2']);
    const h = (states(r.messages).at(-1)!.stream!.stream_state as { history: Record<string, string> }).history;
    expect(Object.keys(h).sort()).toEqual(['new.csv', 'old.csv']);
  });
});
