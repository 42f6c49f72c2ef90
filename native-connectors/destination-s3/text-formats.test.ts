import { describe, expect, it } from 'vitest';
import { classifyLine, type ConfiguredAirbyteStream } from '../../protocol/index.js';
import type { InputMessage } from '../sdk/index.js';
import { LineBuffer } from '../sdk/line-buffer.js';
import { jsonlFormat } from './text-formats.js';

const stream: ConfiguredAirbyteStream = {
  stream: { name: 'users', json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh'] },
  sync_mode: 'full_refresh', destination_sync_mode: 'append', sync_id: 7, generation_id: 3,
};

/** A RECORD line as the SDK hands it to a destination (scanned envelope, data left unparsed). */
function record(data: string, meta = '', emittedAt = '1700000000123'): InputMessage {
  const line = Buffer.from(`{"type":"RECORD","record":{"stream":"users","data":${data},"emitted_at":${emittedAt}${meta}}}`);
  const m = classifyLine(line, 1, { validate: 'envelope' });
  if (m.kind !== 'message' || !m.record) throw new Error('not a scanned record');
  return m;
}

/** The JSON lines an object gets for these records, split and parsed back, raw ids masked. */
function lines(flatten: boolean, records: InputMessage[], chunkSize?: number): { text: string[]; parsed: Record<string, unknown>[] } {
  const out = new LineBuffer(chunkSize);
  const f = jsonlFormat(stream, flatten);
  const parts: Buffer[] = [];
  for (const r of records) { f.write(r, out); if (out.length > 16) parts.push(out.take()); }
  parts.push(out.take());
  const text = Buffer.concat(parts).toString('utf8').split('\n').slice(0, -1).map((l) => l.replace(/"_airbyte_raw_id":"[0-9a-f-]{36}"/, '"_airbyte_raw_id":"ID"'));
  return { text, parsed: text.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const edgeData = '{"name":"Zoë 🚀 \\"q\\"","big":123456789012345678901234567890,"nested":{"a":[1,null,{"b":""}]},"nothing":null,"empty":""}';

describe('jsonlFormat', () => {
  it('writes the Airbyte columns, then the input data bytes as they came (unicode, big numbers, nesting, nulls)', () => {
    const { text } = lines(false, [record(edgeData)]);
    expect(text).toEqual([`{"_airbyte_raw_id":"ID","_airbyte_extracted_at":1700000000123,"_airbyte_meta":{"sync_id":7,"changes":[]},"_airbyte_generation_id":3,"_airbyte_data":${edgeData}}`]);
  });

  it('flattens at the root: the data members follow the Airbyte columns, blanks and empty objects included', () => {
    const { text, parsed } = lines(true, [record(edgeData), record('{ }'), record('{\n "a" : 1 \t}')]);
    expect(text[0]).toBe(`{"_airbyte_raw_id":"ID","_airbyte_extracted_at":1700000000123,"_airbyte_meta":{"sync_id":7,"changes":[]},"_airbyte_generation_id":3,${edgeData.slice(1)}`);
    expect(text[1]).toBe('{"_airbyte_raw_id":"ID","_airbyte_extracted_at":1700000000123,"_airbyte_meta":{"sync_id":7,"changes":[]},"_airbyte_generation_id":3}');
    expect(parsed[2]).toMatchObject({ a: 1, _airbyte_generation_id: 3 });
  });

  it('writes extracted-at as epoch milliseconds whatever the number looks like in the input', () => {
    const { parsed } = lines(false, [record('{}', '', '1.7e12'), record('{}', '', '1700000000123.0'), record('{}', '', '0'), record('{}', '', '-5')]);
    expect(parsed.map((p) => p._airbyte_extracted_at)).toEqual([1_700_000_000_000, 1_700_000_000_123, 0, -5]);
  });

  it('keeps the changes of the record meta', () => {
    const { parsed } = lines(false, [record('{"a":1}', ',"meta":{"changes":[{"field":"é","change":"TRUNCATED","reason":"SOURCE_RECORD_SIZE_LIMITATION"}]}')]);
    expect(parsed[0]!._airbyte_meta).toEqual({ sync_id: 7, changes: [{ field: 'é', change: 'TRUNCATED', reason: 'SOURCE_RECORD_SIZE_LIMITATION' }] });
  });

  it('writes a record larger than the chunk whole, and earlier chunks stay as taken', () => {
    const long = `{"s":"${'é'.repeat(5000)}"}`;
    const { parsed } = lines(false, [record('{"i":1}'), record(long), record('{"i":2}')], 64);
    expect(parsed.map((p) => p._airbyte_data)).toEqual([{ i: 1 }, { s: 'é'.repeat(5000) }, { i: 2 }]);
  });
});
