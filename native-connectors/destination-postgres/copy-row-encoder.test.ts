import { parse, stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseRecordData, type LogicalType } from '../sdk/sql/index.js';
import { CopyRowEncoder, ROW_EXACT, ROW_TEXT, type CopyColumn } from './copy-row-encoder.js';
import { copyValues } from './copy-values.js';

const TYPES: LogicalType[] = ['string', 'integer', 'number', 'boolean', 'date', 'timestamp_tz', 'timestamp', 'time', 'time_tz', 'json'];
const COLUMNS: CopyColumn[] = [
  ...TYPES.map((type) => ({ field: `c_${type}`, type })),
  { field: 'ünï 中', type: 'string' },
  { field: 'we"ird', type: 'string' },
];

/** What the exact path writes: the values, or `changes` when a value did not fit (then the encoder must refuse). */
function exact(columns: readonly CopyColumn[], json: string): { values: string; changes?: unknown[] } | 'throws' {
  try {
    const { data, lossless } = parseRecordData(json);
    return copyValues(columns, data, lossless);
  } catch {
    return 'throws';
  }
}

/** What the encoder writes, from inside a larger buffer (offsets other than 0 on both sides). */
function fast(columns: readonly CopyColumn[], json: string): string | undefined {
  const enc = new CopyRowEncoder(columns);
  const b = Buffer.from(`{"stream":"s","data":${json},"emitted_at":1}`);
  const start = b.indexOf('"data":') + 7;
  const end = b.length - ',"emitted_at":1}'.length;
  const out = Buffer.alloc(enc.maxBytes(end - start) + 10, 0x7e);
  const stop = enc.encode(b, start, end, out, 5);
  if (stop < 0) return undefined;
  expect(stop).toBeLessThanOrEqual(5 + enc.maxBytes(end - start));
  return out.toString('utf8', 5, stop);
}

/** The encoder either refuses the row or writes what the exact path writes for a row without changes. */
function check(columns: readonly CopyColumn[], json: string): boolean {
  const want = exact(columns, json);
  const got = fast(columns, json);
  if (got === undefined) return false;
  expect(want, json).not.toBe('throws');
  if (want === 'throws') return true;
  expect(want.changes, json).toBeUndefined();
  // jsonb values are compared as PostgreSQL reads them: numbers as written, whitespace, key order and duplicates aside.
  const gotValues = got.split('\t');
  const wantValues = want.values.split('\t');
  expect(gotValues.length, json).toBe(wantValues.length);
  columns.forEach((c, i) => {
    const [g, w] = [gotValues[i + 1]!, wantValues[i + 1]!];
    if (c.type === 'json' && g !== '\\N' && w !== '\\N') expect(jsonb(g), json).toBe(jsonb(w));
    else expect(g, json).toBe(w);
  });
  return true;
}

/** COPY text of a jsonb value, parsed keeping each number as written, keys sorted, the last duplicate kept. */
function jsonb(copyText: string): string {
  const text = copyText.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c);
  const sorted = (v: unknown): unknown => Array.isArray(v) ? v.map(sorted)
    : v !== null && typeof v === 'object' && !('isLosslessNumber' in v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
    : v;
  return stringify(sorted(parse(text, null, (n) => ({ isLosslessNumber: true, value: n, toString: () => n }))))!;
}

const one = (type: LogicalType): CopyColumn[] => [{ field: 'v', type }];

describe('CopyRowEncoder', () => {
  it('writes the common rows as the exact path does', () => {
    const rows = [
      '{"c_string":"plain","c_integer":42,"c_number":1.5,"c_boolean":true,"c_date":"2024-02-29","c_timestamp_tz":"2024-01-01T10:20:30.123456Z","c_timestamp":"2024-01-01T10:20:30","c_time":"10:20:30","c_time_tz":"10:20:30+05:30","c_json":null}',
      '{}',
      '{"c_string":"","c_integer":-7,"c_number":-0.5,"c_boolean":false}',
      '{"c_number":12.50,"c_integer":0,"c_string":"é ünï 中文 😀"}',
      '{"c_string":"tab\\there \\"q\\" back\\\\slash \\/ \\b\\f\\r\\n \\u00e9 \\ud83d\\ude00 \\u2028 \\u000a\\u0009\\u000d\\u005c"}',
      '{ "c_string" : "spaced" , "c_integer" :\t1 }',
      '{"ünï 中":"x","extra":{"never":"mind"}}'.replace(',"extra":{"never":"mind"}', ',"extra":3,"more":"y","no":null,"yes":true'),
      '{"c_date":"2024-01-01T10:20:30.123456789-15:00","c_timestamp":"2024-12-31t23:59:60","c_timestamp_tz":"2024-01-01 10:20+0530"}',
      '{"c_number":0.000001,"c_number_not":1,"c_integer":123456789012345,"c_string":"x:1234567890123456"}',
      '{"c_number":100.000}',
      // Values around the length where copying switches from a byte loop to Buffer.copy.
      ...[32, 33, 256, 257, 1000].map((n) => JSON.stringify({ c_string: 's'.repeat(n), c_json: { k: 'j'.repeat(n) }, 'ünï 中': 'é'.repeat(n >> 1) })),
    ];
    for (const row of rows) expect(check(COLUMNS, row), row).toBe(true);
  });

  it('refuses what the exact path nulls or changes (misfits, NUL), so it is recorded in _airbyte_meta', () => {
    const misfits: [LogicalType, string][] = [
      ['integer', '1.5'], ['integer', 'true'], ['integer', '99999999999999999999'], ['boolean', '"true"'], ['boolean', '1'],
      ['date', '"2023-02-29"'], ['date', '"0000-01-01"'], ['timestamp_tz', '"yesterday"'], ['timestamp', '12'],
      ['time', '"24:00"'], ['time_tz', '"10:20:30.1234567890"'], ['time', '"23:59:60.5"'], ['timestamp', '"2024-01-01T23:59:60.001"'], ['string', '"a\\u0000b"'], ['string', '"a\\\\u0000b"'],
      ['string', '"\\u005cu0000"'], ['json', '{"a":"\\u0000"}'],
    ];
    for (const [type, value] of misfits) {
      const json = `{"v":${value}}`;
      expect(fast(one(type), json), json).toBeUndefined();
      const want = exact(one(type), json);
      expect(want !== 'throws' && want.changes, json).toBeTruthy();
    }
    // Coerced without a change (numeric strings): the exact path writes them.
    for (const [type, value] of [['integer', '"12"'], ['number', '" 1.5 "'], ['string', '12'], ['string', 'true'], ['json', '"x"']] as const) {
      expect(fast(one(type), `{"v":${value}}`), value).toBeUndefined();
    }
  });

  it('dates, times and timestamps read by their grammar up to the quote: what it accepts is written as the exact path writes it, the rest is refused', () => {
    const accepted: [LogicalType, string][] = [['date', '"2024-02-29"'], ['timestamp', '"2024-01-01T10:20:30.5"'], ['timestamp_tz', '"2024-01-01 10:20+05:30"'],
      ['timestamp_tz', '"2024-01-01t10:20:30Z"'], ['timestamp', '"2024-01-01"'], ['time', '"10:20"'], ['time_tz', '"10:20:30-03"'], ['time_tz', '"10:20:30.123+0530"']];
    for (const [type, value] of accepted) {
      expect(check(one(type), `{"v":${value}}`), value).toBe(true);
      expect(check([...one(type), { field: 'w', type: 'string' }], `{"v":${value},"w":"x"}`), value).toBe(true);
    }
    // Escapes (valid once decoded, so the exact path writes them), text after a valid prefix, cut short, raw control characters.
    const refused: [LogicalType, string][] = [['timestamp', '"2024-01-01T10:20:30\\u005a"'], ['date', '"\\u0032024-01-01"'], ['time', '"10:20\\u003a30"'],
      ['timestamp_tz', '"2024-01-01T10:20:30Z "'], ['date', '"2024-01-01x"'], ['time_tz', '"10:20:30+05:30:00"'], ['timestamp', '"2024-01-01T10:20:30.5.5"'],
      ['date', '"2024-01-0"'], ['time', '"10:2"'], ['timestamp', '"2024-01-01T"'], ['time', '""'], ['date', '"2024-01-01\n"'], ['time', '"10:20\t"'], ['timestamp', '"2024-01-01\u0000"']];
    for (const [type, value] of refused) {
      for (const json of [`{"v":${value}}`, `{"v":${value},"w":1}`, `{"v":${value.slice(0, -1)}`]) expect(fast(one(type), json), json).toBeUndefined();
    }
  });

  it('refuses JSON that JSON.parse rejects', () => {
    const bad = ['{"v":tru}', '{"v":01}', '{"v":1.}', '{"v":-}', '{"v":"\\q"}', '{"v":"\\u12"}', '{"v":"a\tb"}', '{"v":1,}', '{"v" 1}',
      '{"x":"\\q"}', '{"x":01}', '{"x":+1}', '{"v":1 2}', '{"v":"x"', '{,}'];
    for (const json of bad) {
      expect(exact(one('string'), json), json).toBe('throws');
      expect(fast(one('string'), json), json).toBeUndefined();
      expect(fast(one('integer'), json), json).toBeUndefined();
    }
  });

  it('numbers: writes them as String(Number(x)) does, and leaves the rest to the exact path', () => {
    const accepted = ['0', '1', '-1', '42', '123456789012345', '1.5', '0.1', '-0.5', '1.50', '0.10', '1.0', '100.00', '0.000001', '3.14159265358979',
      // 16+ significant digits (the row's parse is lossless): digits a double keeps, and digits it does not.
      '3.141592653589793', '0.30000000000000004', '-2.718281828459045', '37.77492950000001', '0.10000000000000000555',
      '123456789012345.67', '9.9999999999999999', '0.0000012345678901234567', '1.000000000000000000001'];
    for (const n of accepted) expect(check(one('number'), `{"v":${n}}`), n).toBe(true);
    const refused = ['-0', '-0.0', '1e5', '1E-7', '0.0000001', '1234567890123456', '12345678901234567890', '1.5e300', '3.1415926535897930',
      '0.12345678901234567890', '1234567890123456.5', '0.1234567890123456789012345', '0.1000000000000000055511151231257827'];
    for (const n of refused) expect(check(one('number'), `{"v":${n}}`), n).toBe(false);
    for (const n of ['0', '7', '-7', '123456789012345', '1234567890123456', '-1234567890123456789', '9223372036854775807', '-9223372036854775808', '1000000000000000000']) {
      expect(check(one('integer'), `{"v":${n}}`), n).toBe(true);
    }
    for (const n of ['-0', '1.0', '1e2', '01', '9223372036854775808', '-9223372036854775809', '9999999999999999999', '10000000000000000000']) expect(check(one('integer'), `{"v":${n}}`), n).toBe(false);
  });

  it('a number a double would round elsewhere in the row (the lossless parse) changes nothing it writes', () => {
    const cols: CopyColumn[] = [{ field: 'a', type: 'number' }, { field: 'i', type: 'integer' }, { field: 'b', type: 'string' }];
    for (const json of ['{"a":1.50,"i":7,"big":12345678901234567890}', '{"a":0.10,"b":"x:1234567890123456"}', '{"a":100.0,"b":"[1e300"}', '{"a":12345678901234.50,"big":1e999}', '{"a":0.10,"i":12345678901234567}', '{"i":-9223372036854775808,"a":100.0}']) {
      expect(parseRecordData(json).lossless, json).toBe(true);
      expect(check(cols, json), json).toBe(true);
    }
  });

  it('keys: any order, missing, unknown, duplicate, escaped; own keys only', () => {
    const cols: CopyColumn[] = [{ field: 'a', type: 'integer' }, { field: 'b', type: 'string' }, { field: 'constructor', type: 'string' }, { field: '__proto__', type: 'string' }];
    expect(fast(cols, '{"b":"x","a":1}')).toBe('\t1\tx\t\\N\t\\N');
    expect(fast(cols, '{"a":1,"b":"x"}')).toBe('\t1\tx\t\\N\t\\N');
    expect(fast(cols, '{"z":[1,{"y":null}],"a":1}')).toBe('\t1\t\\N\t\\N\t\\N'); // unknown keys are skipped, nested ones too
    expect(fast(cols, '{"z":[1.50],"a":1}')).toBeUndefined(); // ... when they are JSON nestedEnd vouches for
    expect(fast(cols, '{"a":1,"a":2}')).toBeUndefined(); // JSON.parse keeps the last
    expect(fast(cols, '{"\\u0061":1}')).toBeUndefined();
    expect(fast(cols, '{"constructor":"c","__proto__":"p"}')).toBe('\t\\N\t\\N\tc\tp');
    for (const json of ['{"a":1}', '{"constructor":"c","__proto__":"p"}', '{"a":1,"b":"x"}']) check(cols, json);
    // The exact path read `constructor` off the prototype when the record had no such key.
    expect(exact(cols, '{"a":1}')).toEqual({ values: '\t1\t\\N\t\\N\t\\N' });
  });

  it('keys compared in place with the column expected next: only that name, whole, unescaped', () => {
    const cols: CopyColumn[] = [{ field: 'a', type: 'integer' }, { field: 'b', type: 'string' }, { field: 'c"', type: 'string' }];
    expect(fast(cols, '{"a":1,"bb":"x","b":"y"}')).toBe('\t1\ty\t\\N'); // "bb" starts with the expected "b": a key of its own
    expect(fast(cols, '{"a":1,"b":"y","c":"z"}')).toBe('\t1\ty\t\\N');
    expect(fast(cols, '{"a":1,"\\u0062":"y"}')).toBeUndefined(); // the expected name, escaped
    // A name with a quote is never compared raw: these bytes are not JSON.
    expect(exact(cols, '{"a":1,"b":"y","c"":"z"}')).toBe('throws');
    expect(fast(cols, '{"a":1,"b":"y","c"":"z"}')).toBeUndefined();
    expect(fast(cols, '{"a":1,"b":"y","c\\"":"z"}')).toBeUndefined(); // escaped: left to the exact path, as every escaped key
    expect(fast([{ field: 'a', type: 'integer' }], '{"a')).toBeUndefined(); // cut short after the name
  });

  it('matches the exact path on random rows of edge values', () => {
    const strings = ['""', '"plain"', '"é ünï 中文 😀"', '"tab\\there"', '"a\\nb\\r"', '"q\\"uote"', '"back\\\\slash"', '"\\u00e9"', '"\\ud83d\\ude00"',
      '"\\ud83d"', '"\\ude00x"', '"\\u0000"', '"a\\\\u0000b"', '"\\u005cu0000"', '"\\/"', '"\\b\\f"', '"\\u000a\\u0009\\u000d\\u005c"', '"\\u2028"',
      '"x:1234567890123456"', '"2024-02-29"', '"2023-02-29"', '"2024-01-01T10:20:30Z"', '"2024-01-01T10:20:30.123456+05:30"', '"2024-01-01 10:20:30"',
      '"2024-01-01T10:20:30 +05"', '"0000-01-01"', '"10:20"', '"23:59:60.123456789"', '"10:20:30.1234567890"', '"24:00"', '"10:20+1530"',
      '"10:20-16"', '"10:20:30z"', '"12"', '"1.5"', '" 42 "', '"true"', '"1e3"'];
    const numbers = ['0', '-0', '1', '-1', '42', '1.0', '1.50', '0.10', '-0.0', '0.000001', '0.0000001', '1e5', '1E-7', '1.5e300', '123456789012345',
      '1234567890123456', '12345678901234567890', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '3.141592653589793', '100', '1e400',
      '0.30000000000000004', '3.1415926535897930', '0.12345678901234567890', '37.77492950000001', '1234567890123456789'];
    const others = ['true', 'false', 'null', '{}', '{"a":1}', '[]', '[1,"x",null]', '{"a":{"b":[1.50,2]}}'];
    const values = [...strings, ...numbers, ...others];
    const keys = [...COLUMNS.map((c) => JSON.stringify(c.field)), '"extra"', '"c_\\u0073tring"'];
    let seed = 13;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const space = () => [' ', '', '', '', '\t'][rand(5)]!;
    let accepted = 0;
    for (let r = 0; r < 3000; r++) {
      const fields: string[] = [];
      const n = rand(8);
      for (let f = 0; f < n; f++) fields.push(`${space()}${keys[rand(keys.length)]}${space()}:${space()}${values[rand(values.length)]}${space()}`);
      const json = `{${fields.join(',')}}`;
      if (check(COLUMNS, json)) accepted++;
    }
    // Most rows hold one value the encoder leaves to the exact path; enough are taken to mean something.
    expect(accepted).toBeGreaterThan(300);
  });

  it('scanBinary writes what scan then writeBinary write, in place when the keys come in column order', () => {
    const values: Record<LogicalType, string[]> = {
      string: ['""', '"plain"', '"é ünï 中文 😀"', '"tab\\there"', '"\\u00e9"', '"\\u0000"', '"\\ud83d"', '12', '"x".repeat(300)'],
      integer: ['0', '-7', '123456789012345', '9223372036854775807', '1.5', '"12"'],
      number: ['1.50', '0.000001', '-0.5', '1e5', '0.30000000000000004'],
      boolean: ['true', 'false', '1'],
      date: ['"2024-02-29"', '"2024-01-01T10:20:30Z"', '"2023-02-29"'],
      timestamp_tz: ['"2024-01-01T10:20:30.123456Z"', '"2024-01-01 10:20+05:30"', '"2024-01-01T23:59:60"', '"2024-01-01T10:20:30.1234567"'],
      timestamp: ['"2024-01-01T10:20:30"', '"2024-01-01"', '"9999-12-31T23:59:59.999999"'],
      time: ['"10:20"', '"10:20:30+05"', '"23:59:60"'],
      time_tz: ['"10:20:30-03"', '"10:20:30"', '"10:20:30.123+0530"'],
      json: ['{"a":[1,"x",null]}', '[]', '"s"', '{"a":1.50}'],
    };
    for (const k of Object.keys(values) as LogicalType[]) values[k] = values[k].map((v) => (v === '"x".repeat(300)' ? JSON.stringify('x'.repeat(300)) : v)).concat(['null']);
    const enc = new CopyRowEncoder(COLUMNS);
    let seed = 29;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed >>> 16) % n; }; // the high bits: the low ones cycle
    const outcomes = { inPlace: 0, afterScan: 0, text: 0, exact: 0 };
    for (let r = 0; r < 4000; r++) {
      const fields: string[] = [];
      for (const c of COLUMNS) {
        if (rand(5) === 0 || (c.field === 'we"ird' && rand(10) > 0)) continue; // missing (an escaped key sends the row to the exact path)
        if (rand(8) === 0) fields.push(`"extra${rand(3)}":${rand(2) ? '[1,{"b":null}]' : '"y"'}`); // unknown
        fields.push(`${JSON.stringify(c.field)}:${values[c.type][rand(rand(10) === 0 ? values[c.type].length : 2)]}`);
      }
      const shuffled = rand(3) === 0;
      if (shuffled && fields.length > 1) { const a = rand(fields.length); const t = fields[a]!; fields[a] = fields[0]!; fields[0] = t; }
      if (rand(20) === 0 && fields.length > 0) fields.push(fields[0]!); // a duplicate key
      const b = Buffer.from(`xx{${fields.join(',')}}yy`);
      const max = enc.maxBinaryBytes(b.length - 4);
      const fused = Buffer.alloc(3 + max, 0x7e);
      const got = enc.scanBinary(b, 2, b.length - 2, fused, 3);
      const two = Buffer.alloc(3 + max, 0x7e);
      const want = enc.scan(b, 2, b.length - 2) === b.length - 2 ? enc.writeBinary(b, two, 3) : undefined;
      const json = b.toString();
      if (want === undefined) { expect(got, json).toBe(ROW_EXACT); outcomes.exact++; continue; }
      if (want < 0) { expect(got, json).toBe(ROW_TEXT); outcomes.text++; continue; }
      expect(got, json).toBe(want);
      expect(fused.subarray(3, got).equals(two.subarray(3, want)), json).toBe(true);
      if (shuffled) outcomes.afterScan++; else outcomes.inPlace++;
    }
    // Each way is taken often enough to mean something.
    for (const [k, v] of Object.entries(outcomes)) expect(v, `${k} ${JSON.stringify(outcomes)}`).toBeGreaterThan(100);
  });

  it('doubles as programs write them (up to 17 significant digits) go through the fast path as the exact path writes them', () => {
    let seed = 7;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    let accepted = 0;
    for (let r = 0; r < 2000; r++) {
      const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 20 - 5);
      const text = String(x);
      if (check(one('number'), `{"v":${text}}`) || check([{ field: 'v', type: 'number' }, { field: 'j', type: 'json' }], `{"v":1,"j":[${text}]}`)) accepted++;
    }
    expect(accepted).toBeGreaterThan(1500); // exponent forms and 16+ integer digits are left to the exact path
  });

  it('sends typed columns of each kind through the fast path', () => {
    const typed: [LogicalType, string][] = [['string', '"x"'], ['integer', '5'], ['number', '2.5'], ['boolean', 'true'], ['date', '"2024-03-01"'],
      ['timestamp_tz', '"2024-03-01T00:00:00+01"'], ['timestamp', '"2024-03-01T00:00:00.5"'], ['time', '"00:00"'], ['time_tz', '"23:59:59Z"'], ['json', 'null']];
    for (const [type, value] of typed) expect(check(one(type), `{"v":${value}}`), `${type} ${value}`).toBe(true);
  });

  it('objects and arrays for jsonb columns go as sent, unless jsonb would read them otherwise than the exact path', () => {
    for (const v of ['{"a":1}', '[]', '{}', '[1,"x",null,true,false,{"b":[{"c":"\\u00e9 é \\n \\\\ \\/"}]}]', '{ "a" : [ 1 , 2 ] }', '{"a":"tab\\there","b":-0.5,"c":100}']) {
      expect(check(one('json'), `{"v":${v}}`), v).toBe(true);
    }
    expect(fast(one('json'), '{"v":{"a":"x\\\\y"}}')).toBe('\t{"a":"x\\\\\\\\y"}'); // backslashes doubled for COPY
    for (const v of ['{"a":1.50}', '[1e5]', '[-0]', '[1234567890123456]', '{"a":"\\u0000"}', '{"a":"\\\\u0000"}', '{"a":"\\ud83d\\ude00"}', '{"a":"\\u0041"}',
      '{"a":tru}', '{"a":1,}', '[1 2]', '{"a"}', '["\\q"]', '{"a":"\t"}']) {
      expect(fast(one('json'), `{"v":${v}}`), v).toBeUndefined();
    }
    expect(check(one('string'), '{"v":{"a":1}}')).toBe(false); // an object in a varchar column is JSON.stringify's text there
  });
});
