import { describe, expect, it } from 'vitest';
import type { ConfiguredAirbyteCatalog } from '../../generated/types.js';
import type { CommandRunner } from '../command-runner.js';
import { compareCursor, notOlder } from './cursor-order.js';
import { compareExpectedRecords } from './expected-records.js';
import { withoutFields } from './ignored-fields.js';
import { specCompatibility } from './spec-compatibility.js';
import { specSuite } from './spec-suite.js';

const catalog = { streams: [{ stream: { name: 's', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] } as ConfiguredAirbyteCatalog;
const rec = (data: Record<string, unknown>) => ({ stream: 's', data, emitted_at: 0 });

describe('expect_records as CAT compares them', () => {
  const expected = [rec({ id: 1, a: 'x' }), rec({ id: 2, a: 'y' })];
  it('as sets by default: order free, extra records allowed', () => {
    expect(compareExpectedRecords([rec({ id: 3, a: 'z' }), rec({ id: 2, a: 'y' }), rec({ id: 1, a: 'x' })], { records: expected }, catalog, {})).toEqual([]);
    expect(compareExpectedRecords([rec({ id: 1, a: 'x' })], { records: expected }, catalog, {})).toEqual(['stream s: 1 expected record not produced, e.g. {"id":2,"a":"y"}']);
  });
  it('extra_records: false rejects records beyond the file', () => {
    expect(compareExpectedRecords([...expected, rec({ id: 3 })], { records: expected, extraRecords: false }, catalog, {})[0]).toMatch(/1 record beyond the expected ones but extra_records is off/);
  });
  it('exact_order compares position by position; extra_fields projects the actual records on the expected keys', () => {
    expect(compareExpectedRecords([expected[1]!, expected[0]!], { records: expected, exactOrder: true }, catalog, {})[0]).toMatch(/record #1 differs/);
    const wider = [rec({ id: 1, a: 'x', b: 1 }), rec({ id: 2, a: 'y', b: 2 })];
    expect(compareExpectedRecords(wider, { records: expected, exactOrder: true, extraFields: true, extraRecords: false }, catalog, {})).toEqual([]);
    expect(compareExpectedRecords(wider, { records: expected, exactOrder: true }, catalog, {})).toHaveLength(1);
  });
  it('ignored_fields leave both sides before comparing', () => {
    expect(compareExpectedRecords([rec({ id: 1, a: 'changed' }), rec({ id: 2, a: 'y' })], { records: expected }, catalog, { s: ['a'] })).toEqual([]);
  });
});

describe('cursor order', () => {
  it('numbers, instants (a missing timezone is UTC), text; mixed kinds are not comparable', () => {
    expect(compareCursor(2, 10)).toBeLessThan(0);
    expect(compareCursor('2024-01-02T00:00:00+01:00', '2024-01-01T23:30:00Z')).toBeLessThan(0);
    expect(compareCursor('2024-01-01 10:00:00', '2024-01-01T10:00:00Z')).toBe(0);
    expect(compareCursor('b', 'a')).toBeGreaterThan(0);
    expect(compareCursor({}, 'a')).toBeUndefined();
    expect(notOlder('2024-01-01', '2024-01-03', 2)).toBe(true);
    expect(notOlder('2024-01-01', '2024-01-03', 1)).toBe(false);
  });

  it("a file-based cursor (<instant>_<file>, the file-based CDK's) is ordered by its instant", () => {
    expect(notOlder('2024-01-02T00:00:00.000000Z', '2024-01-02T00:00:00.000000Z_data/b.csv')).toBe(true);
    expect(notOlder('2024-01-01T00:00:00.000000Z', '2024-01-02T00:00:00.000000Z_data/b.csv')).toBe(false);
    expect(compareCursor('2024-01-03T00:00:00.000000Z_a.csv', '2024-01-02T00:00:00.000000Z_z.csv')).toBeGreaterThan(0);
  });
});

describe('ignored_fields paths', () => {
  it('removes nested and globbed paths from a copy', () => {
    const data = { a: { b: 1, c: 2 }, steps: [{ at: 1, k: 1 }, { at: 2, k: 2 }] };
    expect(withoutFields(data, ['a/b', 'steps/*/at'])).toEqual({ a: { c: 2 }, steps: [{ k: 1 }, { k: 2 }] });
    expect(data.a.b).toBe(1);
  });
});

describe('spec backward compatibility', () => {
  const before = { type: 'object', required: ['host'], properties: { host: { type: 'string' }, port: { type: 'integer' }, mode: { type: 'string', enum: ['a', 'b'] } } };
  it('a removed, retyped or newly required property, or a removed enum value, breaks old configs', () => {
    expect(specCompatibility(before, { ...before, properties: { host: { type: 'string' }, port: { type: 'string' }, mode: { type: 'string', enum: ['a'] } }, required: ['host', 'port'] }))
      .toEqual(['/port no longer accepts type integer', '/port became required', '/properties/mode/enum no longer accepts b']);
    expect(specCompatibility(before, { ...before, properties: { ...before.properties, extra: { type: 'string' } } })).toEqual([]);
  });
});

describe('spec suite on a fake runner', () => {
  const runner = (properties: Record<string, unknown>): CommandRunner => async () => ({
    exitCode: 0, stderr: '', rawLines: [],
    messages: [{ type: 'SPEC', spec: { connectionSpecification: { type: 'object', properties } } }],
  });
  const run = async (properties: Record<string, unknown>, name: string) => specSuite(runner(properties), { kind: 'source' }).find((c) => c.name === name)!.run();
  it('a password not marked airbyte_secret fails test_secret_is_properly_marked; a marked boolean too', async () => {
    await expect(run({ password: { type: 'string' } }, 'test_secret_is_properly_marked')).rejects.toThrow(/must be marked airbyte_secret: \/properties\/password/);
    await expect(run({ credentials: { type: 'object', properties: { token: { type: 'string', airbyte_secret: true } } } }, 'test_secret_is_properly_marked')).resolves.toBeUndefined();
    await expect(run({ key: { type: 'boolean', airbyte_secret: true } }, 'test_secret_is_properly_marked')).rejects.toThrow(/cannot hold a secret/);
  });
  it('a oneOf without one common const property fails test_oneof_usage', async () => {
    await expect(run({ auth: { type: 'object', oneOf: [{ properties: { kind: { const: 'a' } } }, { properties: { other: { const: 'b' } } }] } }, 'test_oneof_usage')).rejects.toThrow(/exactly one common property with const/);
  });
});
