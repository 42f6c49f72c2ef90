import type { ValueKind } from './column-plan.js';

/** Why a value was nulled (the Airbyte reasons recorded in _airbyte_meta.changes). */
export const TYPE_MISMATCH = 1;
export const OUT_OF_RANGE = 2;
export type Nulled = typeof TYPE_MISMATCH | typeof OUT_OF_RANGE;
export const reasonOf = (n: Nulled) => (n === TYPE_MISMATCH ? 'DESTINATION_SERIALIZATION_ERROR' : 'DESTINATION_FIELD_SIZE_LIMITATION');

/** Turns one non-null value into its JSONCompactEachRow token, or says why it must be nulled. */
export type Encoder = (v: unknown) => string | Nulled;

// The official destination's ranges (ClickhouseCoercer): Date32 and DateTime64 from 1900-01-01 to
// 2299-12-31, Decimal(38, 9) below 1e29 in magnitude, Int64.
const MIN_DAY_MS = Date.UTC(1900, 0, 1);
const MAX_TS_MS = Date.UTC(2299, 11, 31, 23, 59, 59, 999);
const MAX_DECIMAL = 1e29;
const MAX_INT64 = 9223372036854775807;
const TS_RE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Milliseconds since the epoch; a timestamp without a zone is UTC, as in the official destination. */
export function parseTimestamp(s: string): number {
  const m = TS_RE.exec(s);
  if (!m) return NaN;
  const frac = m[5] ? m[5].slice(0, 4).padEnd(4, '0') : '.000';
  let zone = m[6] ?? 'Z';
  if (zone !== 'Z' && zone !== 'z' && zone.length === 3) zone += ':00';
  else if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return Date.parse(`${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}${frac}${zone.toUpperCase()}`);
}

const jsonText = (v: unknown) => JSON.stringify(JSON.stringify(v));

const ENCODERS: Record<ValueKind, Encoder> = {
  int(v) {
    if (typeof v !== 'number' || !Number.isInteger(v)) return TYPE_MISMATCH;
    return Math.abs(v) > MAX_INT64 ? OUT_OF_RANGE : String(v);
  },
  dec(v) {
    if (typeof v !== 'number') return TYPE_MISMATCH;
    if (Math.abs(v) >= MAX_DECIMAL) return OUT_OF_RANGE;
    const s = String(v);
    // ClickHouse reads Decimal text without an exponent; 9 decimals is the column's scale.
    return s.includes('e') ? v.toFixed(9) : s;
  },
  bool: (v) => (typeof v === 'boolean' ? (v ? 'true' : 'false') : TYPE_MISMATCH),
  date(v) {
    if (typeof v !== 'string') return TYPE_MISMATCH;
    const ms = parseTimestamp(v);
    if (Number.isNaN(ms)) return TYPE_MISMATCH;
    if (ms < MIN_DAY_MS || ms > MAX_TS_MS) return OUT_OF_RANGE;
    return `"${new Date(ms).toISOString().slice(0, 10)}"`;
  },
  ts(v) {
    if (typeof v !== 'string') return TYPE_MISMATCH;
    const ms = parseTimestamp(v);
    if (Number.isNaN(ms)) return TYPE_MISMATCH;
    if (ms < MIN_DAY_MS || ms > MAX_TS_MS) return OUT_OF_RANGE;
    return `"${new Date(ms).toISOString()}"`;
  },
  str: (v) => (typeof v === 'string' ? JSON.stringify(v) : jsonText(v)),
  obj_text: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? jsonText(v) : TYPE_MISMATCH),
  obj_json: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? JSON.stringify(v) : TYPE_MISMATCH),
  arr_text: (v) => (Array.isArray(v) ? jsonText(v) : TYPE_MISMATCH),
  // The official destination writes every union value as its JSON text, strings included (quoted).
  union_text: jsonText,
};

/** The encoder of a kind; timestamps and dates remember their last value (sources repeat them a lot). */
export function encoderFor(kind: ValueKind): Encoder {
  const e = ENCODERS[kind];
  if (kind !== 'ts' && kind !== 'date') return e;
  let lastIn: unknown;
  let lastOut: string | Nulled = TYPE_MISMATCH;
  return (v) => {
    if (v === lastIn) return lastOut;
    lastIn = v;
    return (lastOut = e(v));
  };
}
