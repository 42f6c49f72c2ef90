import { describe, expect, it } from 'vitest';
import { clickhouseName } from './clickhouse-name.js';
import { planColumns, valueKind } from './column-plan.js';
import { OUT_OF_RANGE, TYPE_MISMATCH, encoderFor, parseTimestamp } from './encode-value.js';

describe('destination-clickhouse value encoding', () => {
  it('reads timestamps with any offset form, and without a zone as UTC', () => {
    const utc = Date.UTC(2024, 0, 1, 10, 0, 0, 123);
    for (const s of ['2024-01-01T12:00:00.123+02:00', '2024-01-01T12:00:00.123+0200', '2024-01-01 12:00:00.123456+02', '2024-01-01T10:00:00.123Z', '2024-01-01T10:00:00.123']) {
      expect(parseTimestamp(s), s).toBe(utc);
    }
    expect(parseTimestamp('2024-01-01')).toBe(Date.UTC(2024, 0, 1));
    expect(parseTimestamp('yesterday')).toBeNaN();
  });

  it('encodes each kind as the official destination stores it, nulling what does not fit', () => {
    expect(encoderFor('int')(42)).toBe('42');
    expect(encoderFor('int')(1.5)).toBe(TYPE_MISMATCH);
    expect(encoderFor('dec')(1e-7)).toBe('0.000000100');
    expect(encoderFor('dec')(1e29)).toBe(OUT_OF_RANGE);
    expect(encoderFor('ts')('1899-12-31T23:59:59Z')).toBe(OUT_OF_RANGE);
    expect(encoderFor('ts')('2024-01-01T02:00:00+02:00')).toBe('"2024-01-01T00:00:00.000Z"');
    expect(encoderFor('date')('2024-02-29')).toBe('"2024-02-29"');
    expect(encoderFor('str')({ a: 1 })).toBe('"{\\"a\\":1}"');
    expect(encoderFor('union_text')('s')).toBe('"\\"s\\""');
    expect(encoderFor('obj_json')({ a: 1 })).toBe('{"a":1}');
    expect(encoderFor('arr_text')({ a: 1 })).toBe(TYPE_MISMATCH);
  });

  it('plans kinds from JSON schema and airbyte_type, and names as the official destination does', () => {
    expect(valueKind({ type: 'number', airbyte_type: 'integer' }, false)).toBe('int');
    expect(valueKind({ type: ['null', 'string'], format: 'date-time' }, false)).toBe('ts');
    expect(valueKind({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, false)).toBe('union_text');
    expect(valueKind({ $ref: 'WellKnownTypes.json#/definitions/TimestampWithTimezone' }, false)).toBe('ts');
    expect(valueKind({ type: 'object' }, true)).toBe('obj_json');
    expect(clickhouseName('Crème brûlée 2')).toBe('Creme_brulee_2');
    expect(clickhouseName('1st')).toBe('_1st');
    const cols = planColumns({ properties: { 'a b': { type: 'string' }, a_b: { type: 'integer' }, id: { type: 'integer' } } }, { enableJson: false, notNull: new Set(['id']) });
    expect(cols.map((c) => [c.name, c.type, c.nullable])).toEqual([['a_b', 'String', true], ['a_b_1', 'Int64', true], ['id', 'Int64', false]]);
  });
});
