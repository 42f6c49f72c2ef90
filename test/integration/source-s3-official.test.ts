import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import { runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { sourceS3 } from '../../native-connectors/source-s3/source-s3.js';
import { createTestBucket, putObject, removeTestBucket, s3Client, sourceS3Connection } from '../support/s3.js';

// What the official airbyte-source-s3 4.15.2 printed for these two objects (test/fixtures/s3/official/).
const dir = resolve(import.meta.dirname, '../fixtures/s3/official');
const official = JSON.parse(readFileSync(join(dir, 'discover.json'), 'utf8')) as { config_streams: unknown[]; catalog: { streams: { name: string; json_schema: unknown }[] } };
const officialRead = readFileSync(join(dir, 'read.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; record?: { stream: string; data: Record<string, unknown> }; state?: { stream: { stream_descriptor: unknown; stream_state: { history: Record<string, string>; _ab_source_file_last_modified: string } } } });
const src = { kind: 'definition' as const, definition: sourceS3 };
const s3 = s3Client();
let bucket = '';
afterAll(async () => { if (bucket) await removeTestBucket(s3, bucket); s3.destroy(); });

const withoutModified = (d: Record<string, unknown>) => { const { _ab_source_file_last_modified: m, ...rest } = d; expect(m).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/); return rest; };

describe('native:source-s3 against the official connector\'s own output', () => {
  it('discovers the same schemas and reads the same records and state shape', async () => {
    bucket = await createTestBucket(s3, 'official');
    await putObject(s3, bucket, 'in/people.csv', Buffer.from('id,name,score,active,note\n1,Ann,1.5,true,\n2,"Bob, Jr.",2,false,"multi\nline"\n3,Zoë,,yes,NA\n'));
    await putObject(s3, bucket, 'in/events.jsonl', '{"id":1,"kind":"a","tags":["x"],"at":{"ts":"2024-01-01T00:00:00Z"}}\n{"id":2,"kind":null,"tags":[],"at":{"ts":"2024-01-02T00:00:00Z"}}\n');
    const config = { ...sourceS3Connection(bucket), streams: official.config_streams };
    const d = await runTargetCommand(src, 'discover', { config });
    const catalog = d.messages.find((m) => m.type === 'CATALOG')!.catalog!;
    for (const s of official.catalog.streams) expect(catalog.streams.find((x) => x.name === s.name)!.json_schema).toEqual(s.json_schema);

    const configured = { streams: catalog.streams.map((s) => ({ stream: s, sync_mode: 'incremental', destination_sync_mode: 'append', cursor_field: s.default_cursor_field })) } as ConfiguredAirbyteCatalog;
    const r = await runTargetCommand(src, 'read', { config, catalog: configured });
    const ours = r.messages.filter((m) => m.type === 'RECORD').map((m) => ({ stream: m.record!.stream, data: withoutModified(m.record!.data as Record<string, unknown>) }));
    const theirs = officialRead.filter((m) => m.type === 'RECORD').map((m) => ({ stream: m.record!.stream, data: withoutModified(m.record!.data) }));
    expect(ours).toEqual(theirs);

    const ourStates = r.messages.filter((m) => m.type === 'STATE').map((m) => m.state!.stream!);
    for (const t of officialRead.filter((m) => m.type === 'STATE').map((m) => m.state!.stream)) {
      const o = ourStates.find((s) => JSON.stringify(s.stream_descriptor) === JSON.stringify(t.stream_descriptor))!;
      const os = o.stream_state as typeof t.stream_state;
      expect(Object.keys(os)).toEqual(Object.keys(t.stream_state));
      expect(Object.keys(os.history)).toEqual(Object.keys(t.stream_state.history));
      expect(os._ab_source_file_last_modified.replace(/^[^_]+_/, '')).toBe(t.stream_state._ab_source_file_last_modified.replace(/^[^_]+_/, ''));
    }
  });
});
