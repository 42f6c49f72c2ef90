import { describe, expect, it } from 'vitest';
import { LosslessNumber, type ConfiguredAirbyteStream } from '../../../protocol/index.js';
import { coerceValue } from './coerce-value.js';
import { logicalType } from './logical-type.js';
import { parseRecordData } from './parse-record-data.js';
import { planSchemaChange } from './schema-change.js';
import type { SqlDialect } from './sql-dialect.js';
import { planTable } from './table-plan.js';

describe('logicalType (the bulk CDK rules)', () => {
  it.each([
    [{ type: 'integer' }, 'integer'],
    [{ type: ['null', 'integer'] }, 'integer'],
    [{ type: 'number', airbyte_type: 'integer' }, 'integer'],
    [{ type: 'number' }, 'number'],
    [{ type: 'boolean' }, 'boolean'],
    [{ type: 'string' }, 'string'],
    [{ type: 'string', format: 'date' }, 'date'],
    [{ type: 'string', format: 'date-time' }, 'timestamp_tz'],
    [{ type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' }, 'timestamp_tz'],
    [{ type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' }, 'timestamp'],
    [{ type: 'string', format: 'time', airbyte_type: 'time_without_timezone' }, 'time'],
    [{ type: 'string', format: 'time' }, 'time_tz'],
    [{ type: 'object', properties: { a: { type: 'string' } } }, 'json'],
    [{ type: 'array', items: { type: 'integer' } }, 'json'],
    [{ type: ['string', 'integer'] }, 'json'],
    [{ oneOf: [{ type: 'string' }, { type: 'null' }] }, 'string'],
    [{ $ref: 'WellKnownTypes.json#/definitions/TimestampWithoutTimezone' }, 'timestamp'],
    [{}, 'json'],
  ])('%j → %s', (schema, expected) => {
    expect(logicalType(schema)).toBe(expected);
  });
});

describe('planTable', () => {
  const stream = (properties: object, extra: Partial<ConfiguredAirbyteStream> = {}): ConfiguredAirbyteStream => ({
    stream: { name: 'S', json_schema: { type: 'object', properties }, supported_sync_modes: ['incremental'] },
    sync_mode: 'incremental', destination_sync_mode: 'append_dedup', primary_key: [['My Id']], cursor_field: ['updated'], ...extra,
  } as ConfiguredAirbyteStream);
  const lower = { columnName: (f: string) => f.toLowerCase().replace(/[^a-z0-9_]/g, '_'), maxIdentifierLength: 10 };

  it('normalises names, suffixes collisions (also with Airbyte columns) and maps keys to columns', () => {
    const p = planTable(stream({ 'My Id': { type: 'integer' }, my_id: { type: 'string' }, _airbyte_meta: { type: 'string' }, updated: { type: 'string', format: 'date-time' }, 'a very long name': {} }), lower);
    expect(p.columns.map((c) => [c.field, c.name, c.type])).toEqual([
      ['My Id', 'my_id', 'integer'], ['my_id', 'my_id_1', 'string'], ['_airbyte_meta', '_airbyte_1', 'string'],
      ['updated', 'updated', 'timestamp_tz'], ['a very long name', 'a_very_long_name', 'json'],
    ]);
    expect([p.primaryKey, p.cursor, p.dedup, p.truncate]).toEqual([['my_id'], 'updated', true, false]);
  });

  it('overwrite and refreshes truncate; append with a minimum generation drops old ones', () => {
    expect(planTable(stream({}, { destination_sync_mode: 'overwrite' }), lower).truncate).toBe(true);
    expect(planTable(stream({}, { destination_sync_mode: 'append', generation_id: 4, minimum_generation_id: 4 }), lower).truncate).toBe(true);
    expect(planTable(stream({}, { destination_sync_mode: 'append', generation_id: 4, minimum_generation_id: 2 }), lower)).toMatchObject({ truncate: false, minimumGenerationId: 2 });
  });
});

describe('coerceValue', () => {
  const ok = (type: Parameters<typeof coerceValue>[0], v: unknown) => coerceValue(type, v).text;
  const nulled = (type: Parameters<typeof coerceValue>[0], v: unknown) => coerceValue(type, v).change?.reason;
  it('integers: integral numbers and integer strings in 64 bits', () => {
    expect([ok('integer', 5), ok('integer', 2.0), ok('integer', '  -12 '), ok('integer', '1e3'), ok('integer', new LosslessNumber('9223372036854775807'))]).toEqual(['5', '2', '-12', '1000', '9223372036854775807']);
    expect([nulled('integer', 1.5), nulled('integer', 'x'), nulled('integer', true), nulled('integer', new LosslessNumber('9223372036854775808'))])
      .toEqual(['DESTINATION_TYPECAST_ERROR', 'DESTINATION_TYPECAST_ERROR', 'DESTINATION_TYPECAST_ERROR', 'DESTINATION_FIELD_SIZE_LIMITATION']);
  });
  it('numbers, booleans, strings, json', () => {
    expect([ok('number', 1.25), ok('number', ' 12.5 '), ok('number', new LosslessNumber('0.1000000000000000055511'))]).toEqual(['1.25', '12.5', '0.1000000000000000055511']);
    expect([nulled('number', 'NaN'), nulled('number', 'abc')]).toEqual(['DESTINATION_TYPECAST_ERROR', 'DESTINATION_TYPECAST_ERROR']);
    expect([ok('boolean', true), ok('boolean', false), nulled('boolean', 'yes'), nulled('boolean', 1)]).toEqual(['t', 'f', 'DESTINATION_TYPECAST_ERROR', 'DESTINATION_TYPECAST_ERROR']);
    expect([ok('string', 'x'), ok('string', 12), ok('string', { a: [1] }), ok('json', 'x'), ok('json', [1, { b: null }])]).toEqual(['x', '12', '{"a":[1]}', '"x"', '[1,{"b":null}]']);
    expect(coerceValue('string', 'a\u0000b')).toEqual({ text: 'ab', change: { change: 'TRUNCATED', reason: 'DESTINATION_SERIALIZATION_ERROR' } });
    expect(coerceValue('json', { k: 'a\u0000' }).text).toBe('{"k":"a"}');
  });
  it('dates and times: ISO strings with valid fields only', () => {
    expect([ok('timestamp_tz', '2024-01-01T00:00:00+05:00'), ok('timestamp_tz', '2024-02-29 10:00:00.123456Z'), ok('timestamp', '2024-01-01T10:00'), ok('date', '2024-12-31'), ok('time_tz', '23:59:59+01:00'), ok('time', '10:00')])
      .toEqual(['2024-01-01T00:00:00+05:00', '2024-02-29 10:00:00.123456Z', '2024-01-01T10:00', '2024-12-31', '23:59:59+01:00', '10:00']);
    for (const bad of ['2023-02-29', '2024-13-01', '0000-01-01', '2024-01-01T25:00:00Z', 'yesterday', '2024-04-31']) expect(nulled('timestamp_tz', bad)).toBe('DESTINATION_TYPECAST_ERROR');
    expect([nulled('date', 20240101), nulled('time', '24:00')]).toEqual(['DESTINATION_TYPECAST_ERROR', 'DESTINATION_TYPECAST_ERROR']);
  });
  it('a leap second is the next midnight, a fraction past it is out of PostgreSQL\'s range (it failed the sync)', () => {
    expect([ok('time', '23:59:60'), ok('timestamp', '2024-01-01T23:59:60.000'), ok('time', '10:00:60.5'), ok('timestamp_tz', '2024-01-01 10:00:60.5Z')])
      .toEqual(['23:59:60', '2024-01-01T23:59:60.000', '10:00:60.5', '2024-01-01 10:00:60.5Z']);
    for (const [type, v] of [['time', '23:59:60.5'], ['time_tz', '23:59:60.000001+02'], ['timestamp', '2024-01-01T23:59:60.5'], ['timestamp_tz', '2024-01-01 23:59:60.1Z'], ['date', '2024-01-01T23:59:60.9']] as const) {
      expect(nulled(type, v), v).toBe('DESTINATION_TYPECAST_ERROR');
    }
  });
  it('parseRecordData keeps long numbers exact', () => {
    expect(parseRecordData('{"a":1,"b":"x"}')).toEqual({ data: { a: 1, b: 'x' }, lossless: false });
    const big = parseRecordData('{"a":12345678901234567890,"b":0.1}');
    expect(big.lossless).toBe(true);
    expect(coerceValue('integer', big.data.a, true).change?.reason).toBe('DESTINATION_FIELD_SIZE_LIMITATION');
    expect(coerceValue('json', big.data, true).text).toBe('{"a":12345678901234567890,"b":0.1}');
  });
  it('parseRecordData takes the lossless parser for every number a double may round, and only for numbers', () => {
    for (const risky of ['{"a":[1, 0.30000000000000001]}', '{"a":{"b": -1234567890123456}}', '{"a":123456789012345.6}', '{"a":1.5E+308}', '{"a":1e400}', '{"a":[2,3e-350]}']) {
      expect(parseRecordData(risky).lossless, risky).toBe(true);
    }
    // Digits and exponent-like runs inside strings (hex ids, phone numbers) keep the fast parser.
    for (const plain of ['{"note":"c4ca4238a0b923820dcc509a6f75849b3e123","tel":"12345678901234567890","n":12345,"x":1.5e10}', '{"a":"x:12e5"}']) {
      expect(parseRecordData(plain).lossless, plain).toBe(false);
    }
    expect(parseRecordData('{"a":0.30000000000000001}').data.a).toEqual(new LosslessNumber('0.30000000000000001'));
  });
});

describe('planSchemaChange', () => {
  const d: SqlDialect = {
    quote: (s) => `"${s}"`, typeName: (t) => t, alterColumnType: () => '',
    logicalOf: (r) => ({ bigint: 'integer', numeric: 'number', varchar: 'string', boolean: 'boolean', jsonb: 'json' } as const)[r],
  };
  it('adds, widens, keeps wider table types and names conflicts', () => {
    const existing = new Map([['a', 'bigint'], ['b', 'varchar'], ['c', 'boolean'], ['d', 'numeric'], ['e', 'geometry']]);
    const change = planSchemaChange(existing, [
      { field: 'a', name: 'a', type: 'number' }, { field: 'b', name: 'b', type: 'integer' }, { field: 'c', name: 'c', type: 'date' },
      { field: 'd', name: 'd', type: 'number' }, { field: 'e', name: 'e', type: 'string' }, { field: 'f', name: 'f', type: 'json' },
    ], d);
    expect(change.add.map((c) => c.name)).toEqual(['f']);
    expect(change.widen).toEqual([{ column: 'a', from: 'integer', to: 'number' }]);
    expect(change.keep).toEqual([{ column: 'b', table: 'string', catalog: 'integer' }]);
    expect(change.conflicts.map((c) => c.column)).toEqual(['c', 'e']);
    expect(change.columns.find((c) => c.name === 'b')?.type).toBe('string');
  });
});
