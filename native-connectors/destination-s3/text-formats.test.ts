import { describe, expect, it } from 'vitest';
import { classifyLine, type ConfiguredAirbyteStream } from '../../protocol/index.js';
import type { InputMessage, RecordRun } from '../sdk/index.js';
import { DestinationInput } from '../sdk/destination-input.js';
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

describe('jsonlFormat runs', () => {
  const line = (data: string, extra = '', emittedAt = '1700000000123') => `{"type":"RECORD","record":{"stream":"users","data":${data},"emitted_at":${emittedAt}${extra}}}\n`;
  const input = [
    line(edgeData), line('{}'), line('{ }'), line('{"a":1}', '', '1.7e12'), line('{"a":2}', '', '0'),
    line('{"a":3}', ',"meta":{"changes":[{"field":"é","change":"TRUNCATED","reason":"SOURCE_RECORD_SIZE_LIMITATION"}]}'),
    line(`{"s":"${'é'.repeat(3000)}"}`), line('{"i":4}', '', '1700000000123.0'), line('{"i":5}'),
  ].join('');

  /** The object text from the run path (DestinationInput.runs, as the barrier reads stdin) and from the per-record path. */
  async function both(flatten: boolean, withFields: boolean): Promise<{ runs: string; records: string; sawRun: boolean }> {
    const run = new LineBuffer(64);
    const one = new LineBuffer(64);
    const f = jsonlFormat(stream, flatten);
    let sawRun = false;
    async function* chunks() { for (let i = 0; i < input.length; i += 700) yield Buffer.from(input.slice(i, i + 700)); }
    for await (const items of new DestinationInput(chunks()).runs()) {
      for (const item of items) {
        if ('count' in item) {
          sawRun = true;
          expect((item as RecordRun).fields).toBeDefined();
          f.writeRun!(withFields ? item as RecordRun : { ...item as RecordRun, fields: undefined }, run);
        } else f.write(item as InputMessage, run);
      }
    }
    for await (const m of new DestinationInput(chunks())) f.write(m, one);
    const mask = (b: Buffer) => b.toString('utf8').replace(/"_airbyte_raw_id":"[0-9a-f-]{36}"/g, '"_airbyte_raw_id":"ID"');
    return { runs: mask(run.take()), records: mask(one.take()), sawRun };
  }

  it.each([[false, true], [true, true], [false, false], [true, false]])('write the lines the per-record path writes (flatten: %s, fields from the run reader: %s)', async (flatten, withFields) => {
    const { runs, records, sawRun } = await both(flatten, withFields);
    expect(sawRun).toBe(true);
    expect(runs.split('\n')).toHaveLength(10);
    expect(runs).toBe(records);
  });

  it('give every record its own version 4 UUID', () => {
    const out = new LineBuffer();
    const lines = Array.from({ length: 5000 }, (_, i) => line(`{"i":${i}}`)).join('');
    jsonlFormat(stream, false).writeRun!({ stream: 'users', namespace: undefined, bytes: Buffer.from(lines), count: 5000 }, out);
    const ids = out.take().toString().trim().split('\n').map((l) => (JSON.parse(l) as { _airbyte_raw_id: string })._airbyte_raw_id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(5000);
  });
});

