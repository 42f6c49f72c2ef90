import { LosslessNumber, stringifyJson } from '../../../protocol/index.js';
import type { LogicalType } from './logical-type.js';

/** How a value was changed to fit its column; recorded in `_airbyte_meta.changes`. */
export type ValueChange =
  | { change: 'NULLED'; reason: 'DESTINATION_TYPECAST_ERROR' | 'DESTINATION_FIELD_SIZE_LIMITATION' }
  | { change: 'TRUNCATED'; reason: 'DESTINATION_SERIALIZATION_ERROR' };

/**
 * A value as text its column type accepts (ISO dates and times, plain decimal numbers, `t`/`f`,
 * JSON text), or null with the change that made it null. The rules are the Airbyte bulk CDK's
 * (AirbyteValueCoercer), made strict enough that the database never rejects what passes:
 * - integer: integral JSON numbers and integer strings within 64 bits;
 * - number: JSON numbers and numeric strings (not NaN or infinities);
 * - boolean: JSON booleans only;
 * - string: anything; non-strings are written as their JSON text;
 * - date, time, timestamp: ISO 8601 strings with valid fields (`2024-02-30` is not one);
 * - json: anything.
 * NUL characters, which PostgreSQL text and jsonb cannot hold, are removed and the field is
 * reported as TRUNCATED / DESTINATION_SERIALIZATION_ERROR.
 * Big or long numbers must arrive as LosslessNumber (parse with parseRecordData; pass `lossless`) to stay exact.
 */
export function coerceValue(type: LogicalType, v: unknown, lossless = false): { text: string | null; change?: ValueChange } {
  const jsonText = lossless ? stringifyJson : JSON.stringify;
  switch (type) {
    case 'integer': return integer(v);
    case 'number': return number(v);
    case 'boolean': return typeof v === 'boolean' ? { text: v ? 't' : 'f' } : TYPECAST;
    case 'string': return nulFree(typeof v === 'string' ? v : jsonText(v));
    case 'json': return nulFree(jsonText(v));
    case 'date': return typeof v === 'string' && isDate(v) && !PAST_MIDNIGHT.test(v) ? { text: v } : TYPECAST;
    case 'timestamp': case 'timestamp_tz': return typeof v === 'string' && isTimestamp(v) && !PAST_MIDNIGHT.test(v) ? { text: v } : TYPECAST;
    case 'time': case 'time_tz': return typeof v === 'string' && TIME.test(v) && !PAST_MIDNIGHT.test(v) ? { text: v } : TYPECAST;
  }
}

const TYPECAST = { text: null, change: { change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' } } as const;
const TOO_BIG = { text: null, change: { change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' } } as const;
const INT_TEXT = /^\s*([+-]?)0*(\d+)(?:\.0*)?\s*$/;
const NUM_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INT64_MAX = 9223372036854775807n;

function integer(v: unknown): { text: string | null; change?: ValueChange } {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || !Number.isInteger(v)) return TYPECAST;
    return Number.isSafeInteger(v) ? { text: String(v) } : int64(BigInt(v));
  }
  let text: string | undefined;
  if (v instanceof LosslessNumber) text = v.value;
  else if (typeof v === 'string') text = v;
  if (text === undefined) return TYPECAST;
  const m = INT_TEXT.exec(text) ?? exactInteger(text);
  if (!m) return TYPECAST;
  return int64(BigInt(`${m[1]}${m[2]}`));
}

/** 1e3 or 1.50e2 as JSON numbers: integral, but not in plain digits. */
function exactInteger(text: string): RegExpExecArray | null {
  if (!NUM_TEXT.test(text)) return null;
  const [mantissa, exp = '0'] = text.trim().toLowerCase().split('e');
  const [whole = '', frac = ''] = mantissa!.replace(/^[+-]/, '').split('.');
  const shift = Number(exp);
  const digits = whole + frac;
  const point = whole.length + shift;
  if (point < 0 || point > 40 || /[1-9]/.test(digits.slice(Math.max(0, point)))) return null;
  const sign = mantissa!.startsWith('-') ? '-' : '';
  return INT_TEXT.exec(`${sign}${digits.slice(0, point).padEnd(point, '0') || '0'}`);
}

function int64(n: bigint): { text: string | null; change?: ValueChange } {
  return n > INT64_MAX || n < -INT64_MAX - 1n ? TOO_BIG : { text: n.toString() };
}

function number(v: unknown): { text: string | null; change?: ValueChange } {
  if (typeof v === 'number') return Number.isFinite(v) ? { text: String(v) } : TOO_BIG;
  if (v instanceof LosslessNumber) return { text: v.value };
  if (typeof v === 'string' && NUM_TEXT.test(v)) return { text: v.trim() };
  return TYPECAST;
}

function nulFree(text: string): { text: string; change?: ValueChange } {
  if (text.indexOf('\u0000') === -1 && text.indexOf('\\u0000') === -1) return { text };
  return { text: text.replaceAll('\u0000', '').replaceAll('\\u0000', ''), change: { change: 'TRUNCATED', reason: 'DESTINATION_SERIALIZATION_ERROR' } };
}

const DATE_PART = '(\\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const TIME_PART = '([01]\\d|2[0-3]):[0-5]\\d(?::(?:[0-5]\\d|60)(?:\\.\\d{1,9})?)?';
const ZONE_PART = '(?:Z|z|[+-](?:0\\d|1[0-5])(?::?[0-5]\\d)?)';
const DATE = new RegExp(`^${DATE_PART}$`);
const TIMESTAMP = new RegExp(`^${DATE_PART}(?:[Tt ]${TIME_PART}\\s?${ZONE_PART}?)?$`);
const TIME = new RegExp(`^${TIME_PART}${ZONE_PART}?$`);
/** A leap second is the next midnight in PostgreSQL; a fraction past it is out of range (the COPY fails). */
const PAST_MIDNIGHT = /23:59:60\.\d*[1-9]/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(m: RegExpExecArray): boolean {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year === 0) return false;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= DAYS[month - 1]!;
}

function isDate(s: string): boolean {
  const m = DATE.exec(s) ?? TIMESTAMP.exec(s);
  return m !== null && validDay(m);
}

function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  return m !== null && validDay(m);
}
