import { describe, expect, it } from 'vitest';
import { classifyLine } from './classify-line.js';
import { decodeLines } from './decode-lines.js';
import { encodeMessage } from './encode-message.js';
import type { AirbyteMessage } from '../generated/types.js';

const c = (s: string, validate: 'full' | 'envelope' | 'parsed' = 'envelope') => classifyLine(Buffer.from(s), 1, { validate });

describe('classifyLine', () => {
  it.each([
    ['a Java log line', '2024-01-01 12:00:00 INFO i.a.c.Main(main):42 - starting'],
    ['a blank line', ''],
    ['whitespace', '   \t'],
    ['null', 'null'],
    ['an array', '[{"type":"RECORD"}]'],
    ['a number', '42'],
    ['a JSON string', '"RECORD"'],
    ['an object without type', '{"record":{"stream":"x"}}'],
    ['an unknown type', '{"type":"BANANA"}'],
    ['a lower-case type', '{"type":"record","record":{}}'],
    ['truncated JSON', '{"type":"RECORD","record":{"stream":"x","data":{"a":1}'],
    ['trailing text after the object', '{"type":"LOG","log":{"level":"INFO","message":"x"}} trailing'],
  ])('calls %s noise, in both modes', (_name, text) => {
    expect(c(text).kind).toBe('noise');
    expect(c(text, 'full').kind).toBe('noise');
    expect(c(text, 'parsed').kind).toBe('noise');
  });

  it('forwards records with huge and long-decimal numbers byte for byte', async () => {
    const text = '{"type":"RECORD","record":{"stream":"n","data":{"big":12345678901234567890,"dec":0.1000000000000000055511,"neg":-1e400},"emitted_at":1700000000000}}';
    const lines = [];
    for await (const d of decodeLines([Buffer.from(`${text}\n${text}\r\n`)])) lines.push(d);
    expect(lines.map((d) => d.kind)).toEqual(['message', 'message']);
    for (const d of lines) expect(d.raw.toString('utf8')).toBe(text);
  });

  it('keeps state numbers exact when a STATE is parsed and written again', () => {
    const text = '{"type":"STATE","state":{"type":"GLOBAL","global":{"shared_state":{"lsn":123456789012345678901,"f":0.1000000000000000055511},"stream_states":[]}}}';
    const d = c(text);
    expect(d.kind).toBe('message');
    if (d.kind === 'message') expect(encodeMessage(d.message)).toBe(`${text}\n`);
  });

  it('reads stream and namespace without parsing data, whatever the key order', () => {
    // Python CDK order: namespace after data; Jackson order: namespace first.
    for (const text of [
      '{"type":"RECORD","record":{"stream":"us\\"ers","data":{"stream":"decoy","namespace":"decoy"},"emitted_at":1,"namespace":"pub"}}',
      '{"record":{"namespace":"pub","stream":"us\\"ers","emitted_at":1,"data":{}},"type":"RECORD"}',
    ]) {
      const d = c(text);
      expect(d.kind).toBe('message');
      if (d.kind === 'message') {
        expect(d.record).toMatchObject({ stream: 'us"ers', namespace: 'pub' });
        const [s, e] = d.record!.streamRange;
        expect(d.raw.toString('utf8', s, e)).toBe('"us\\"ers"');
      }
    }
    const noNs = c('{"type":"RECORD","record":{"stream":"s","namespace":null,"data":{},"emitted_at":1}}');
    expect(noNs.kind === 'message' && noNs.record!.namespace).toBeUndefined();
  });

  it('parses the record lazily, and only when asked', () => {
    const d = c('{"type":"RECORD","record":{"stream":"s","data":{"a":[1,{"b":"c"}]},"emitted_at":1}}');
    expect(d.kind).toBe('message');
    if (d.kind === 'message') expect((d.message as AirbyteMessage).record!.data).toEqual({ a: [1, { b: 'c' }] });
  });

  it('reports every problem of an invalid record with its path', () => {
    const d = c('{"type":"RECORD","record":{"stream":1,"data":"x"}}');
    expect(d.kind).toBe('invalid');
    if (d.kind === 'invalid') expect(d.errors.map((e) => e.path)).toEqual(['/record/stream', '/record/data', '/record/emitted_at']);
  });
});

describe('classifyLine on an invalid escape inside a string the scanner decodes', () => {
  for (const [what, text] of [
    ['stream', String.raw`{"type":"RECORD","record":{"stream":"us\ers","emitted_at":1,"data":{}}}`],
    ['namespace', String.raw`{"type":"RECORD","record":{"stream":"users","namespace":"p\ublic","emitted_at":1,"data":{}}}`],
    ['type', String.raw`{"type":"ST\ATE","state":{}}`],
  ] as const) {
    it(`calls the line not valid JSON (${what}), as JSON.parse would, instead of throwing`, () => {
      for (const validate of [undefined, 'full', 'parsed'] as const) {
        const d = classifyLine(Buffer.from(text), 7, validate ? { validate } : {});
        expect(d).toMatchObject({ kind: 'noise', line: 7, reason: 'not valid JSON' });
      }
    });
  }
});
