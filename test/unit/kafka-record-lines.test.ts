import { describe, expect, it } from 'vitest';
import { isJsonObject } from '../../native-connectors/source-kafka/is-json-object.js';
import { recordData } from '../../native-connectors/source-kafka/record-data.js';
import { RecordLines } from '../../native-connectors/source-kafka/record-lines.js';

const valid = [
  '{}', '{"a":1}', '{ "a" : [ 1 , -2.5e+10 , 0 , 0.0 , 1E3 , true , false , null , "x" ] }', '{"n":123456789012345678901234567890}',
  '{"s":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"}', '{"ü":"中文 😀"}', '{"a":{"b":{"c":[[],{}]}}}', '{"a":1,"a":2}', '{"e":""}',
  '{\t"tab":1}',
];
const invalid = [
  '', '{', '}', '{"a":1', '{"a":1,}', '{"a" 1}', '{a:1}', "{'a':1}", '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":-}', '{"a":1e}', '{"a":+1}',
  '{"a":tru}', '{"a":nul}', '{"a":NaN}', '{"a":Infinity}', '{"a":"\\x"}', '{"a":"\\u12"}', '{"a":"tab\there"}', '{"a":[1,]}', '{"a":[,1]}',
  '{"a":1}}', '{"a":1} ', ' {"a":1}', '{"a":1}{"b":2}', '[1]', '"s"', '1', 'null', '{"a":1 "b":2}', '{"a"::1}', '{,}', '{"a":[}', '{"a":{]}',
];

describe('isJsonObject', () => {
  it.each(valid)('accepts %s (as JSON.parse does)', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(isJsonObject(Buffer.from(text))).toBe(true);
  });
  it.each(invalid)('does not accept %s', (text) => {
    expect(isJsonObject(Buffer.from(text))).toBe(false);
  });
  it('never accepts what JSON.parse refuses (mutated messages)', () => {
    const base = '{"id":12,"name":"Ünïcode \\u00e9","tags":["a","b"],"n":-1.5e-3,"ok":true,"none":null,"nested":{"x":[1,{"y":"z"}]}}';
    const alphabet = '{}[]":,.-+eE0123456789tfnulrsa\\ \t';
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % n; };
    let accepted = 0;
    for (let k = 0; k < 20_000; k++) {
      const chars = [...base];
      for (let m = 1 + rnd(3); m > 0; m--) {
        const at = rnd(chars.length);
        const op = rnd(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[rnd(alphabet.length)]!);
        else chars[at] = alphabet[rnd(alphabet.length)]!;
      }
      const text = chars.join('');
      if (!isJsonObject(Buffer.from(text))) continue;
      accepted++;
      const parsed: unknown = JSON.parse(text);
      expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), text).toBe(true);
    }
    expect(accepted).toBeGreaterThan(100);
  });
  it('leaves very deep nesting to JSON.parse', () => {
    expect(isJsonObject(Buffer.from(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`))).toBe(false);
  });
});

describe('RecordLines', () => {
  const where = { topic: 't', partition: 0, offset: '5' };
  const lineFor = (value: Buffer) => `{"type":"RECORD","record":{"stream":"t\\"q","emitted_at":1700000000000,"data":${recordData(value, where)}}}\n`;

  it('writes the same lines as one recordData per message, copying plain JSON objects as they are', () => {
    const values = [
      '{"a":1}', '  {"padded":true}  ', '{"multi":\n1}', '[1,2]', '"text"', '42', '{"big":123456789012345678901234567890}', '{"u":"中文 😀"}',
      `{"large":"${'x'.repeat(600_000)}"}`,
    ].map((v) => Buffer.from(v));
    values.push(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])); // {"a":"<invalid UTF-8>"}
    const lines = new RecordLines('t"q', 1_700_000_000_000);
    for (const v of values) lines.add(v, where);
    expect(lines.count).toBe(values.length);
    const out = lines.take().toString('utf8');
    expect(out).toBe(values.map(lineFor).join(''));
    for (const line of out.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.count).toBe(0);
    expect(lines.bytes).toBe(0);
  });

  it('refuses a value that is not JSON, as recordData does', () => {
    const lines = new RecordLines('t', 1);
    expect(() => lines.add(Buffer.from('{"a":1'), where)).toThrow(/not JSON/);
  });
});
