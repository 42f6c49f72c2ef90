import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { destinationDuckdb } from '../../native-connectors/destination-duckdb/destination-duckdb.js';
import { destinationLocalJson } from '../../native-connectors/destination-local-json/destination-local-json.js';
import { runConnector, type ConnectorDefinition } from '../../native-connectors/sdk/run-connector.js';

// Issue 10 item 5: invalid UTF-8 inside a RECORD must not silently become U+FFFD. The SDK nulls
// each top-level field holding invalid bytes and lists it in meta.changes; destinations copy that
// into _airbyte_meta.changes.
const catalog = {
  streams: [{
    stream: { name: 'people', json_schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, note: { type: 'string' }, tags: { type: 'object' } } }, supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh', destination_sync_mode: 'append', generation_id: 1, minimum_generation_id: 0, sync_id: 9,
  }],
};
const invalid = Buffer.from([0xff, 0xfe, 0xc3]); // not UTF-8 in any order
const line = (id: number, parts: (string | Buffer)[]) => Buffer.concat([
  Buffer.from(`{"type":"RECORD","record":{"stream":"people","emitted_at":1700000000000,"data":{"id":${id},`),
  ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)),
  Buffer.from('}}}\n'),
]);
const input = Buffer.concat([
  line(1, ['"name":"Ada', invalid, '","note":"caf\u00e9 ok","tags":{"nested":"x', invalid, '"}']),
  line(2, ['"name":"Bob","note":"fine","tags":{"a":1}']),
  Buffer.from('{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"people"},"stream_state":{"c":1}}}}\n'),
]);

async function write(def: ConnectorDefinition, config: object): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'airdock-utf8-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await runConnector(def, ['write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')], { stdout: out, stdin: Readable.from([input]) });
  const stdout = Buffer.concat(chunks).toString('utf8');
  expect(code, stdout).toBe(0);
  expect(stdout).toContain('"type":"STATE"');
  return dir;
}

const expectedChanges = [
  { field: 'name', change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' },
  { field: 'tags', change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' },
];

describe('invalid UTF-8 inside a RECORD', () => {
  it('local-json: the field is null and the change is recorded; valid fields and rows are untouched', async () => {
    const dir = await write(destinationLocalJson, { destination_path: join(mkdtempSync(join(tmpdir(), 'airdock-utf8-out-')), 'out') });
    const configDir = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).destination_path as string;
    const text = readFileSync(join(configDir, '_airbyte_raw_people.jsonl'), 'utf8');
    expect(text).not.toContain('\ufffd');
    const [ada, bob] = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(ada._airbyte_data).toEqual({ id: 1, name: null, note: 'caf\u00e9 ok', tags: null });
    expect(ada._airbyte_meta.changes).toEqual(expectedChanges);
    expect(bob._airbyte_data).toEqual({ id: 2, name: 'Bob', note: 'fine', tags: { a: 1 } });
    expect(bob._airbyte_meta).toBeUndefined();
  });

  it('duckdb: the column is NULL and _airbyte_meta.changes lists it', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'airdock-utf8-db-')), 'u.duckdb');
    await write(destinationDuckdb, { destination_path: db });
    const inst = await DuckDBInstance.create(db);
    const conn = await inst.connect();
    try {
      const rows = (await conn.runAndReadAll('SELECT id, name, note, tags::VARCHAR AS tags, _airbyte_meta::VARCHAR AS meta FROM people ORDER BY id')).getRowObjects();
      expect(rows[0]).toMatchObject({ name: null, note: 'caf\u00e9 ok', tags: null });
      expect(JSON.parse(String(rows[0]!.meta))).toEqual({ sync_id: 9, changes: expectedChanges });
      expect(rows[1]).toMatchObject({ name: 'Bob', note: 'fine' });
      expect(JSON.parse(String(rows[1]!.meta)).changes).toEqual([]);
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });
});
