import { describe, expect, it } from 'vitest';
import { JsonlSpans, jsonlBatches, jsonlRecords } from './jsonl-reader.js';
import { RecordLines } from './record-lines.js';

const COLUMNS = ',"_ab_source_file_last_modified":"2024-01-01T00:00:00.000000Z","_ab_source_file_url":"d/ü.jsonl"';

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** What the batches give, as the records a reader of the RECORD lines would see (`data` of each). */
async function viaBatches(bytes: Buffer, size: number): Promise<unknown[]> {
  const lines = new RecordLines('users', COLUMNS);
  const out: unknown[] = [];
  for await (const item of jsonlBatches(chunks(bytes, size))) {
    if (item instanceof JsonlSpans) {
      const text = lines.encode(item).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const l of text.slice(0, -1).split('\n')) {
        const m = JSON.parse(l) as { type: string; record: { stream: string; emitted_at: number; data: unknown } };
        expect(m.type).toBe('RECORD');
        expect(m.record.stream).toBe('users');
        expect(typeof m.record.emitted_at).toBe('number');
        out.push(m.record.data);
      }
    } else out.push({ ...withoutNulls(item), ...JSON.parse(`{${COLUMNS.slice(1)}}`) });
  }
  return out;
}

/** The parsing reader's records, with the file columns as the connector adds them. */
async function viaRecords(bytes: Buffer): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const r of jsonlRecords(chunks(bytes, 1 << 20))) out.push({ ...withoutNulls(r.value), ...JSON.parse(`{${COLUMNS.slice(1)}}`) });
  return out;
}

function withoutNulls(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null));
}

const file = [
  '{"id":1,"name":"Ana","tags":["x",null],"o":{"n":null,"e":""}}',
  '',
  '  {"id":2, "name":"Zoë 日本 😀", "big":123456789012345678901234567890 , "f":-1.5e-7}  ',
  '{"id":3,"gone":null,"kept":{"deep":null}}',
  '{}',
  ' { } ',
  '{\r',
  '  "id": 4,',
  '  "multi": "line"',
  '}',
  '{"id":5,"s":"quote \\" backslash \\\\ slash \\/ uni \\u00e9 \\ud83d\\ude00","t":true,"u":false}',
  '{"id":6,"empty":"","arr":[],"obj":{}}\r',
  '{"id":7}',
].join('\n');

describe('jsonlBatches + RecordLines', () => {
  it('give the records the parsing reader gives, whatever the chunk boundaries', async () => {
    const bytes = Buffer.from(file);
    const expected = await viaRecords(bytes);
    expect(expected).toHaveLength(9);
    for (const size of [1, 2, 3, 5, 7, 16, 61, 64, 1000, bytes.length]) {
      expect(await viaBatches(bytes, size), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('keeps a line as it was written: number digits, escapes and key order', async () => {
    const line = '{"big":123456789012345678901234567890,"s":"\\u00e9\\/","b":1,"a":2}';
    const lines = new RecordLines('users', COLUMNS);
    const out: string[] = [];
    for await (const item of jsonlBatches(chunks(Buffer.from(`${line}\n`), 64))) out.push(lines.encode(item as JsonlSpans).toString());
    expect(out).toEqual([`{"type":"RECORD","record":{"stream":"users","emitted_at":${/"emitted_at":(\d+)/.exec(out[0]!)![1]},"data":${line.slice(0, -1)}${COLUMNS}}}}\n`]);
  });

  it('reads a last line without a newline, a UTF-8 BOM, and CRLF line ends', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\r\n{"a":2}\r\n{"a":3}')]);
    for (const size of [1, 2, 4, 100]) {
      expect((await viaBatches(bytes, size)).map((r) => (r as { a: number }).a), `chunks of ${size}`).toEqual([1, 2, 3]);
    }
  });

  it('fails as the parsing reader does: invalid UTF-8, a line that never parses', async () => {
    const bad = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    await expect(viaBatches(bad, 64)).rejects.toThrow('The encoded data was not valid for encoding utf-8');
    await expect(viaRecords(bad)).rejects.toThrow('The encoded data was not valid for encoding utf-8');
    await expect(viaBatches(Buffer.from('{"a":1}\nnot json\n'), 64)).rejects.toThrow('the last line is not valid JSON');
    await expect(viaBatches(Buffer.from('[1,2]\n'), 64)).rejects.toThrow('a line is not a JSON object');
  });

  it('emits the records before a broken line first', async () => {
    const seen: number[] = [];
    const lines = new RecordLines('users', COLUMNS);
    await expect((async () => {
      for await (const item of jsonlBatches(chunks(Buffer.from('{"a":1}\n{"a":2}\n[3]\n{"a":4}\n'), 1000))) {
        if (item instanceof JsonlSpans) for (const l of lines.encode(item).toString().trim().split('\n')) seen.push((JSON.parse(l) as { record: { data: { a: number } } }).record.data.a);
      }
    })()).rejects.toThrow('a line is not a JSON object');
    expect(seen).toEqual([1, 2]);
  });
});
