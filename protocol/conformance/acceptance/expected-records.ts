import type { AirbyteRecordMessage, ConfiguredAirbyteCatalog } from '../../generated/types.js';
import { plural } from './acceptance-check.js';
import { canonicalJson, sameJson } from './canonical-json.js';
import { withoutFields } from './ignored-fields.js';

/** `expect_records`: the records of the file (one AirbyteRecordMessage per line) and CAT's three flags. */
export interface ExpectedRecords {
  records: readonly Pick<AirbyteRecordMessage, 'stream' | 'data'>[];
  /** Records come in the file's order (default false). */
  exactOrder?: boolean;
  /** Actual records may have fields the expected ones lack (default false; needs exact_order). */
  extraFields?: boolean;
  /** Actual records beyond the expected ones are allowed (default true). */
  extraRecords?: boolean;
}

/**
 * Compares the records read with the expected ones, per stream, as CAT's compare_records does:
 * exact order or as sets, extra fields projected away, extra records allowed or not; `ignored_fields`
 * are removed from both sides first. Returns what differs (empty when all is well).
 */
export function compareExpectedRecords(actual: readonly AirbyteRecordMessage[], e: ExpectedRecords, c: ConfiguredAirbyteCatalog, ignored: Readonly<Record<string, readonly string[]>>): string[] {
  const group = (list: readonly Pick<AirbyteRecordMessage, 'stream' | 'data'>[]) => {
    const m = new Map<string, unknown[]>();
    for (const r of list) m.set(r.stream, [...(m.get(r.stream) ?? []), withoutFields(r.data, ignored[r.stream] ?? [])]);
    return m;
  };
  const want = group(e.records);
  const got = group(actual);
  const configured = new Set(c.streams.map((s) => s.stream.name));
  const out: string[] = [];
  for (const [stream, expected] of want) {
    if (!configured.has(stream)) continue;
    const problem = e.exactOrder ? inOrder(expected, got.get(stream) ?? [], e) : asSets(expected, got.get(stream) ?? [], e.extraRecords !== false);
    if (problem) out.push(`stream ${stream}: ${problem}`);
  }
  return out;
}

function inOrder(expected: unknown[], actual: unknown[], e: ExpectedRecords): string | undefined {
  for (let i = 0; i < expected.length; i++) {
    if (i >= actual.length) return `expected ${plural(expected.length, 'record')} in order, got only ${actual.length}`;
    const a = e.extraFields ? project(actual[i], expected[i]) : actual[i];
    if (!sameJson(a, expected[i])) return `record #${i + 1} differs from the expected one (order or values): expected ${clip(expected[i])}, got ${clip(actual[i])}`;
  }
  if (actual.length > expected.length && e.extraRecords === false) return `there are more records than expected (${actual.length} > ${expected.length}) but extra_records is off`;
  return undefined;
}

function asSets(expected: unknown[], actual: unknown[], extraRecords: boolean): string | undefined {
  const have = new Set(actual.map(canonicalJson));
  const missing = expected.filter((r) => !have.has(canonicalJson(r)));
  if (missing.length > 0) return `${plural(missing.length, 'expected record')} not produced, e.g. ${clip(missing[0])}`;
  if (!extraRecords) {
    const wanted = new Set(expected.map(canonicalJson));
    const extra = actual.filter((r) => !wanted.has(canonicalJson(r)));
    if (extra.length > 0) return `${plural(extra.length, 'record')} beyond the expected ones but extra_records is off, e.g. ${clip(extra[0])}`;
  }
  return undefined;
}

/** The actual record cut down to the expected record's keys (extra_fields), recursively. */
function project(actual: unknown, expected: unknown): unknown {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected) || actual === null || typeof actual !== 'object') return actual;
  return Object.fromEntries(Object.keys(expected).map((k) => [k, project((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k])]));
}

const clip = (v: unknown): string => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};
