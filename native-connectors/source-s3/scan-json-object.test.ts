import { describe, expect, it } from 'vitest';
import { scanJsonObject } from './scan-json-object.js';

const scan = (s: string) => { const b = Buffer.from(s); return scanJsonObject(b, 0, b.length); };
const parsesToObject = (s: string) => { try { const v = JSON.parse(s); return v !== null && typeof v === 'object' && !Array.isArray(v); } catch { return false; } };

describe('scanJsonObject', () => {
  it.each([
    '{}', ' {} ', '{"a":1}', '{ "a" : 1 , "b" : [ ] }\r', '{"a":{"b":null}}', '{"a":[null,true,false,0,-0,1.5e10,-2E-3,0.25]}',
    '{"s":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D"}', '{"é":"日本","emoji":"😀"}', '{"big":123456789012345678901234567890}',
    '{"a":{"b":{"c":[[[{}]]]}}}', '{"a":1,"a":2}', '{"":""}', '\t{"x":"y"}\t',
  ])('accepts %s and finds its closing brace', (s) => {
    expect(parsesToObject(s)).toBe(true);
    expect(scan(s)).toBe(Buffer.from(s).lastIndexOf('}'));
  });

  it.each([
    '', ' ', '[]', '"x"', '1', 'null', '{', '}', '{"a"}', '{"a":}', '{"a":1,}', '{,}', '{"a":1}}', '{"a":1} x', '{"a":1}{"b":2}',
    "{'a':1}", '{a:1}', '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":-}', '{"a":1e}', '{"a":+1}', '{"a":0x10}', '{"a":NaN}',
    '{"a":tru}', '{"a":nul}', '{"a":falsy}', '{"a":"\\x"}', '{"a":"\\u12g4"}', '{"a":"\t"}', '{"a":"unterminated}',
    '{"a":[1,]}', '{"a":[1 2]}', '{"a":{"b":1}', '{"a":1 "b":2}',
  ])('rejects what JSON.parse does not take as one object: %s', (s) => {
    expect(parsesToObject(s)).toBe(false);
    expect(scan(s)).toBe(-1);
  });

  it('sends objects with a top-level null member to the slow path (the official connector drops them), nested nulls stay', () => {
    expect(scan('{"a":null}')).toBe(-1);
    expect(scan('{"a":1, "b" : null }')).toBe(-1);
    expect(scan('{"a":{"b":null},"c":[null]}')).toBeGreaterThan(0);
  });

  it('stays within its range and bounds its depth', () => {
    const b = Buffer.from('xx{"a":1}yy');
    expect(scanJsonObject(b, 2, 9)).toBe(8);
    expect(scanJsonObject(b, 2, 8)).toBe(-1);
    expect(scan(`{"a":${'['.repeat(300)}${']'.repeat(300)}}`)).toBe(-1);
    expect(scan(`{"a":${'['.repeat(200)}${']'.repeat(200)}}`)).toBeGreaterThan(0);
  });

  it('agrees with JSON.parse on every truncation and one-byte change of a record', () => {
    const rec = '{"id":12,"name":"Ana \\"Lu\\"","tags":["a",true,null],"n":-1.5e-3,"o":{"x":[{}],"y":"\\u00e9"}}';
    const variants = new Set<string>();
    for (let i = 0; i <= rec.length; i++) variants.add(rec.slice(0, i));
    const alphabet = '{}[]":,\\ 0-.eEtfnu1a';
    for (let i = 0; i < rec.length; i++) for (const c of alphabet) variants.add(rec.slice(0, i) + c + rec.slice(i + 1));
    for (const v of variants) {
      const topNull = parsesToObject(v) && Object.values(JSON.parse(v) as object).includes(null);
      expect(scan(v) >= 0, v).toBe(parsesToObject(v) && !topNull);
    }
  });
});
