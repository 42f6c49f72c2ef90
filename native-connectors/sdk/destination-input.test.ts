import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../protocol/index.js';
import { RUN_FIELDS, RunField, type InputMessage, type RecordRun } from './define-destination.js';
import { DestinationInput } from './destination-input.js';
import type { ReusedChunks } from './stdin-reader.js';

// runs() must hand a destination exactly what the per-line iterator does, in the same order: the same
// lines accepted (repaired or dropped alike), only gathered into runs of one stream.
const rec = (stream: string, id: number, extra = '') => `{"type":"RECORD","record":{"stream":"${stream}"${extra},"emitted_at":1700000000000,"data":{"id":${id},"s":"a\\"b}{"}}}`;
const cdk = (stream: string, id: number) => `{"type":"RECORD","record":{"stream":"${stream}","data":{"id":${id},"n":[1,{"x":null}]},"emitted_at":1700000000000}}`;
const state = (n: number) => `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"a"},"stream_state":{"n":${n}}}}}`;
const status = '{"type":"TRACE","trace":{"type":"STREAM_STATUS","emitted_at":1,"stream_status":{"stream_descriptor":{"name":"a"},"status":"COMPLETE"}}}';

const lines: (string | Buffer)[] = [
  rec('a', 1), rec('a', 2), cdk('a', 3), rec('b', 4), rec('a', 5), state(1), rec('a', 6),
  `${rec('a', 7)}\r`, // CRLF
  ` ${rec('a', 8)}`, // leading whitespace: valid, taken line by line
  `${rec('a', 9)} `, // trailing whitespace
  rec('a', 10, ',"namespace":"ns1"'), rec('a', 11, ',"namespace":"ns1"'), rec('a', 12, ',"namespace":null'), rec('a', 13),
  rec('a\\u0062', 14), // an escaped stream name: "ab"
  '{"type":"RECORD","record":{"stream":"a","emitted_at":1700000000000,"data":{"id":15,"bad":tr{ue}}}', // malformed data: dropped
  '{"type":"RECORD","record":{"stream":"a","emitted_at":"soon","data":{"id":16}}}', // emitted_at not a number: dropped
  '{"type":"RECORD","record":{"stream":"a","emitted_at":1,"data":[1]}}', // data not an object: dropped
  '{"type":"RECORD","record":{"stream":"a","emitted_at":1,"data":{"id":17}', // truncated: noise
  'a Java log line', '',
  Buffer.concat([Buffer.from('{"type":"RECORD","record":{"stream":"a","emitted_at":1,"data":{"id":18,"name":"x'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}}')]), // invalid UTF-8: repaired
  rec('a', 19), status, rec('b', 20), rec('b', 21),
  // The head of the record before (up to `data`), then not the layout of a run's line:
  '{"type":"RECORD","record":{"stream":"b","emitted_at":1700000000000,"data":{"id":22},"meta":{"changes":[]}}}', // meta after data
  '{"type":"RECORD","record":{"stream":"b","emitted_at":1700000000000,"data":{"id":23}}}}', // a brace too many: noise
  '{"type":"RECORD","record":{"stream":"b","emitted_at":1700000000000,"data":{"id":24}}', // truncated: noise
  '{"type":"RECORD","record":{"stream":"b","emitted_at":1700000000000,"data":{"id":25,"x":"}}"} }}', // a space before the end
];
const input = Buffer.concat(lines.map((l) => Buffer.concat([typeof l === 'string' ? Buffer.from(l) : l, Buffer.from('\n')])));

interface Seen { stream?: string; namespace?: string; type: string; raw: string }
const seen = (m: InputMessage): Seen => ({ type: m.message.type, raw: m.raw.toString('latin1'), ...(m.record ? { stream: m.record.stream, namespace: m.record.namespace } : {}) });

async function* chunked(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield Buffer.from(b.subarray(i, i + size));
}

async function perLine(size: number): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const m of new DestinationInput(chunked(input, size))) out.push(seen(m));
  return out;
}

async function byRuns(size: number): Promise<{ seen: Seen[]; runs: RecordRun[] }> {
  const out: Seen[] = [];
  const runs: RecordRun[] = [];
  for await (const items of new DestinationInput(chunked(input, size)).runs()) {
    for (const item of items) {
      if (!('count' in item)) { out.push(seen(item)); continue; }
      runs.push({ ...item, bytes: Buffer.from(item.bytes), fields: item.fields?.slice() });
      const parts = item.bytes.toString('latin1').split('\n');
      expect(parts.pop()).toBe('');
      expect(parts).toHaveLength(item.count);
      for (const raw of parts) out.push({ type: 'RECORD', raw, stream: item.stream, namespace: item.namespace });
    }
  }
  return { seen: out, runs };
}

describe('DestinationInput.runs', () => {
  it('yields what the per-line iterator yields, in order, whatever the chunk size', async () => {
    const expected = await perLine(input.length);
    // The per-line reading itself: the malformed and truncated lines dropped, the invalid UTF-8 repaired.
    expect(expected.map((s) => (s.raw.match(/"id":(\d+)/) ?? [])[1] ?? s.type)).toEqual(
      ['1', '2', '3', '4', '5', 'STATE', '6', '7', '8', '9', '10', '11', '12', '13', '14', '18', '19', 'TRACE', '20', '21', '22', '25'],
    );
    expect(expected.find((s) => s.raw.includes('"id":14'))?.stream).toBe('ab');
    expect(expected.find((s) => s.raw.includes('"id":18'))?.raw).toContain('SOURCE_SERIALIZATION_ERROR');
    for (const size of [1, 7, 64, 300, 4096, input.length]) {
      const { seen: got } = await byRuns(size);
      expect(got, `chunks of ${size} bytes`).toEqual(await perLine(size));
    }
  });

  it('gathers adjacent records of one stream and namespace into one run', async () => {
    const { runs } = await byRuns(input.length);
    expect(runs.map((r) => [r.stream, r.namespace ?? null, r.count])).toEqual([
      ['a', null, 3], ['b', null, 1], ['a', null, 1], ['a', null, 1], // records 1-3, 4, 5, 6 (a STATE between 5 and 6)
      ['a', 'ns1', 2], ['a', null, 2], // 10-11, then 12 (namespace null) and 13
      ['b', null, 3], ['b', null, 1], // 20-22, 25; 18 (invalid UTF-8) and 19 made one run, so both went line by line
    ]);
  });

  it('gives each line of a run the positions of its data, emitted_at and meta', async () => {
    for (const size of [1, 64, input.length]) {
      const { runs } = await byRuns(size);
      for (const r of runs) {
        expect(r.fields).toHaveLength(r.count * RUN_FIELDS);
        const text = r.bytes.toString('latin1');
        let start = 0;
        for (let i = 0; i < r.count; i++) {
          const f = r.fields!.subarray(i * RUN_FIELDS, (i + 1) * RUN_FIELDS);
          const line = text.slice(start, text.indexOf('\n', start));
          const at = (s: number, e: number) => text.slice(s, e);
          expect(f[RunField.LINE]).toBe(start);
          expect(JSON.parse(at(f[RunField.DATA_START]!, f[RunField.DATA_END]!))).toEqual((JSON.parse(line) as { record: { data: unknown } }).record.data);
          expect(at(f[RunField.EMITTED_AT_START]!, f[RunField.EMITTED_AT_END]!)).toBe('1700000000000');
          const meta = line.includes('"meta"') ? at(f[RunField.META_START]!, f[RunField.META_END]!) : [f[RunField.META_START], f[RunField.META_END]];
          expect(meta).toEqual(line.includes('"meta"') ? '{"changes":[]}' : [-1, -1]);
          start += line.length + 1;
        }
      }
    }
    // a meta is located too
    const withMeta = Buffer.from(`${rec('a', 1, ',"meta":{"changes":[]}')}\n`);
    for await (const items of new DestinationInput(chunked(withMeta, withMeta.length)).runs()) {
      const r = items[0] as RecordRun;
      expect(withMeta.toString('latin1', r.fields![RunField.META_START]!, r.fields![RunField.META_END]!)).toBe('{"changes":[]}');
    }
  });

  it('locates the fields of every run of a chunk with more lines than its field array first holds', async () => {
    // 10,000 short records in one chunk, a new run every 1,500 lines: runs before and after the array grows.
    const many = Array.from({ length: 10_000 }, (_, i) => `{"type":"RECORD","record":{"stream":"${Math.floor(i / 1500) % 2 ? 'b' : 'a'}","emitted_at":1,"data":{"i":${i}}}}\n`).join('');
    const ids: number[] = [];
    for await (const items of new DestinationInput(chunked(Buffer.from(many), many.length)).runs()) {
      for (const r of items as RecordRun[]) {
        for (let k = 0; k < r.count; k++) {
          const f = r.fields!.subarray(k * RUN_FIELDS);
          ids.push((JSON.parse(r.bytes.toString('latin1', f[RunField.DATA_START], f[RunField.DATA_END])) as { i: number }).i);
        }
      }
    }
    expect(ids).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });
});

/**
 * Like stdin's StdinReader: views() reads every chunk into one buffer, scribbled over before each
 * read, so a view or message still pointing into it after the next read shows up as garbage.
 */
function reused(b: Buffer, size: number): ReusedChunks {
  const buffer = Buffer.alloc(size);
  return {
    async *views() {
      for (let i = 0; i < b.length; i += size) {
        buffer.fill('X');
        const n = b.copy(buffer, 0, i, i + size);
        yield buffer.subarray(0, n);
      }
    },
    async *[Symbol.asyncIterator]() {
      for await (const v of this.views()) yield Buffer.from(v);
    },
  };
}

describe('DestinationInput over a reused read buffer', () => {
  it('hands out per-line messages that stay intact after later chunks (a destination may keep them)', async () => {
    for (const size of [7, 64, 300, 4096]) {
      const kept: InputMessage[] = [];
      const runs: string[] = [];
      for await (const items of new DestinationInput(reused(input, size)).runs()) {
        for (const item of items) {
          if ('count' in item) runs.push(...item.bytes.toString('latin1').split('\n').slice(0, -1));
          else kept.push(item); // kept as DuckDB's append keeps lines until 1 MiB is gathered
        }
      }
      // Read only now, after every chunk has gone through the buffer.
      const fromRuns = new Set(runs);
      const got = kept.map(seen);
      const expected = (await perLine(size)).filter((s) => !(s.type === 'RECORD' && fromRuns.has(s.raw)));
      expect(got, `chunks of ${size} bytes`).toEqual(expected);
      expect(got.length + runs.length).toBe((await perLine(size)).length);
    }
  });

  it('iterated line by line, yields messages that stay intact', async () => {
    const kept: InputMessage[] = [];
    for await (const m of new DestinationInput(reused(input, 64))) kept.push(m);
    expect(kept.map(seen)).toEqual(await perLine(input.length));
  });
});

describe('DestinationInput.runs for a sink that checks data itself (sinkChecksData)', () => {
  // Lines where `data` looks last (the line ends in `}}}`) but is not, or is malformed.
  const tricky = [
    '{"type":"RECORD","record":{"stream":"a","emitted_at":1,"data":{"id":30},"meta":{"changes":[]}}}',
    '{"type":"RECORD","record":{"stream":"a","emitted_at":1,"data":{"id":31},"x":{"y":{}}}}',
    '{"type":"RECORD","record":{"stream":"a","emitted_at":1,"data":{"id":32}}}}',
    '{"type":"RECORD","record":{"stream":"a","emitted_at":1,"data":{"id":33},"stream":{}}}',
    '{"type":"RECORD","record":{"stream":"a","data":{"id":34},"emitted_at":1}}',
    '{"type":"RECORD","record":{"stream":"a","emitted_at":1,"data":{"id":35,"j":{"k":{}}}}}',
  ];
  const all = Buffer.concat([input, Buffer.from(`${tricky.join('\n')}\n`)]);
  const record = (m: InputMessage) => m.record && { stream: m.record.stream, data: m.raw.toString('utf8', ...m.record.dataRange), meta: m.record.metaRange && m.raw.toString('utf8', ...m.record.metaRange) };

  it('gives a checking sink the records the per-line path gives', async () => {
    const expected: unknown[] = [];
    for await (const m of new DestinationInput(chunked(all, all.length))) if (m.record) expected.push(record(m));
    for (const size of [7, 300, all.length]) {
      const got: unknown[] = [];
      let rechecked = 0;
      for await (const items of new DestinationInput(chunked(all, size)).runs({ sinkChecksData: true })) {
        for (const item of items) {
          if (!('count' in item)) { if (item.record) got.push(record(item)); continue; }
          for (let k = 0; k < item.count; k++) {
            const f = item.fields!.subarray(k * RUN_FIELDS);
            const data = item.bytes.toString('utf8', f[RunField.DATA_START], f[RunField.DATA_END]);
            try {
              JSON.parse(data); // the sink's check
              got.push({ stream: item.stream, data, meta: f[RunField.META_START] === -1 ? undefined : item.bytes.toString('utf8', f[RunField.META_START], f[RunField.META_END]) });
            } catch {
              rechecked++;
              const end = k + 1 < item.count ? f[RUN_FIELDS + RunField.LINE]! - 1 : item.bytes.length - 1;
              const line = classifyLine(item.bytes.subarray(f[RunField.LINE], end), 0);
              if (line.kind === 'message' && line.record) got.push(record(line));
            }
          }
        }
      }
      expect(got, `chunks of ${size} bytes`).toEqual(expected);
      // data taken as the last field without a scan, then found not to be one JSON object: meta or a
      // key after it (22, 30, 31), a brace too many (23, 32), a stream after it (33), malformed (15)
      if (size === all.length) expect(rechecked).toBe(7);
    }
    expect(expected.map((r) => (r as { data: string }).data.match(/"id":(\d+)/)?.[1])).toEqual(
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '18', '19', '20', '21', '22', '25', '30', '31', '34', '35'],
    );
  });
});
