/**
 * Field writers for PostgreSQL's binary COPY format (the types' send/recv forms), for values whose
 * text the byte encoder has already checked (CopyRowEncoder.scan). Each writes the field's 4-byte
 * length and its bytes into `out` at `o` and returns the new end, or -1 when the value must go to
 * PostgreSQL as text instead (a form whose binary value would not be exactly what the text input
 * functions make of it). Binary COPY saves PostgreSQL the text parse of timestamps, numerics and
 * integers: measured 2.2 → 1.6 CPU-s per million rows of the benchmark table (bench/RESULTS.md).
 */

const ZERO = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;

/** The binary COPY stream's header: signature, flags, header extension length. */
export const BINARY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);

const US_PER_DAY = 86_400_000_000;
/** Beyond this many days from 2000 a timestamp's microseconds no longer fit a double exactly. */
const EXACT_DAYS = 104_000;

export function writeInt32(out: Buffer, o: number, v: number): number {
  out[o] = v >>> 24; out[o + 1] = v >>> 16; out[o + 2] = v >>> 8; out[o + 3] = v;
  return o + 4;
}

/** A signed 64-bit integer from a safe integer (two 32-bit halves; floor keeps the sign right). */
export function writeInt64(out: Buffer, o: number, v: number): number {
  const hi = Math.floor(v / 4294967296);
  writeInt32(out, o, hi | 0);
  return writeInt32(out, o + 4, (v - hi * 4294967296) >>> 0);
}

/** `-1`: NULL. */
export function writeNull(out: Buffer, o: number): number {
  out[o] = 0xff; out[o + 1] = 0xff; out[o + 2] = 0xff; out[o + 3] = 0xff;
  return o + 4;
}

/** bigint from plain digits within 64 bits (isPlainInteger checked them); past 15 digits through BigInt. */
export function writeInt8Field(b: Buffer, s: number, e: number, out: Buffer, o: number): number {
  writeInt32(out, o, 8);
  if (e - s > 15) {
    out.writeBigInt64BE(BigInt(b.toString('latin1', s, e)), o + 4);
    return o + 12;
  }
  let p = s;
  const negative = b[p] === MINUS;
  if (negative) p++;
  let v = 0;
  for (; p < e; p++) v = v * 10 + b[p]! - ZERO;
  return writeInt64(out, o + 4, negative ? -v : v);
}

/** Base-10000 digits of the numeric being written (at most 4 integer and 6 fraction groups pass the encoder: 15 and 24 digits). */
const groups = new Int32Array(16);

/**
 * numeric from a canonical decimal `-?\d+(\.\d+)?` (canonicalDecimalEnd checked it: no exponent,
 * no `-0`, at most 15 integer and 24 fraction digits): base-10000 digits around the point, weight, sign and the
 * display scale numeric_in takes from the same text (its fraction digits), zero groups at both ends
 * left out as numeric_in leaves them out.
 */
export function writeNumericField(b: Buffer, s: number, e: number, out: Buffer, o: number): number {
  let p = s;
  const negative = b[p] === MINUS;
  if (negative) p++;
  let int = 0;
  for (; p < e && b[p] !== DOT; p++) int = int * 10 + b[p]! - ZERO;
  const fs = p + 1;
  const dscale = p < e ? e - fs : 0;
  // Integer groups from the lowest, then shifted so that groups[0] is the highest.
  let n = 0;
  while (int > 0) { const q = Math.floor(int / 10000); groups[n++] = int - q * 10000; int = q; }
  for (let i = 0, j = n - 1; i < j; i++, j--) { const t = groups[i]!; groups[i] = groups[j]!; groups[j] = t; }
  let weight = n - 1;
  for (let f = fs; f < e; f += 4) {
    let v = 0;
    for (let k = f; k < f + 4; k++) v = v * 10 + (k < e ? b[k]! - ZERO : 0);
    groups[n++] = v;
  }
  let first = 0;
  while (first < n && groups[first] === 0) first++;
  while (n > first && groups[n - 1] === 0) n--;
  const ndigits = n - first;
  weight = ndigits === 0 ? 0 : weight - first;
  writeInt32(out, o, 8 + 2 * ndigits);
  out[o + 4] = ndigits >>> 8; out[o + 5] = ndigits;
  out[o + 6] = weight >>> 8; out[o + 7] = weight;
  out[o + 8] = negative && ndigits > 0 ? 0x40 : 0; out[o + 9] = 0;
  out[o + 10] = dscale >>> 8; out[o + 11] = dscale;
  o += 12;
  for (let g = first; g < n; g++) { const v = groups[g]!; out[o++] = v >>> 8; out[o++] = v; }
  return o;
}

const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** Days from 2000-01-01 to January 1st of each year 0..9999 (proleptic Gregorian, as PostgreSQL counts). */
const YEAR_DAYS = (() => {
  const t = new Int32Array(10000);
  for (let y = 2001; y < 10000; y++) t[y] = t[y - 1]! + (leap(y - 1) ? 366 : 365);
  for (let y = 1999; y >= 0; y--) t[y] = t[y + 1]! - (leap(y) ? 366 : 365);
  return t;
})();
const LEAP = Uint8Array.from({ length: 10000 }, (_, y) => (leap(y) ? 1 : 0));
const MONTH_DAYS = Int32Array.from([0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]);

/** Days since 2000-01-01 of a valid date of the years 1..9999. */
export function daysSince2000(year: number, month: number, day: number): number {
  return YEAR_DAYS[year]! + MONTH_DAYS[month]! + (month > 2 ? LEAP[year]! : 0) + day - 1;
}

/**
 * The date, time or timestamp the encoder's grammar read last (CopyRowEncoder's timestampEnd and
 * timeWithZoneEnd fill it as they check the text, so it is parsed once): [PARSED_DAYS] days since
 * 2000-01-01, [PARSED_TIME_US] microseconds of the day, [PARSED_ZONE] the zone's offset east of UTC
 * in seconds (NaN: none), [PARSED_BINARY] 0 for what is left to PostgreSQL's text input: a leap
 * second (it rolls over) and more than 6 fraction digits (it rounds). A Float64Array, not module
 * variables: a double stored in a `let` outside the function is a new heap number per row (30 MB of
 * garbage per million rows of the benchmark table).
 */
export const parsed = new Float64Array(4);
export const PARSED_DAYS = 0;
export const PARSED_TIME_US = 1;
export const PARSED_ZONE = 2;
export const PARSED_BINARY = 3;

/** date from {@link parsed} (the caller refuses a timestamp's text in a date column: PostgreSQL's text input takes it). */
export function writeDateField(out: Buffer, o: number): number {
  writeInt32(out, o, 4);
  return writeInt32(out, o + 4, parsed[PARSED_DAYS]! | 0);
}

/**
 * timestamp or timestamptz from {@link parsed}: microseconds since 2000-01-01. With a zone the
 * instant (timestamptz) or the local fields as written (timestamp: PostgreSQL ignores the zone);
 * without one the session's zone, which is UTC (connectPostgres sets it).
 */
export function writeTimestampField(out: Buffer, o: number, withZone: boolean): number {
  if (parsed[PARSED_BINARY] === 0) return -1;
  const days = parsed[PARSED_DAYS]!;
  const us = parsed[PARSED_TIME_US]!;
  const z = parsed[PARSED_ZONE]!;
  const zone = withZone && z === z ? z : 0;
  writeInt32(out, o, 8);
  if (days > -EXACT_DAYS && days < EXACT_DAYS) return writeInt64(out, o + 4, days * US_PER_DAY + us - zone * 1_000_000);
  out.writeBigInt64BE(BigInt(days) * BigInt(US_PER_DAY) + BigInt(us - zone * 1_000_000), o + 4);
  return o + 12;
}

/** time (no zone written) or timetz (a zone written; PostgreSQL keeps it, as seconds west of UTC) from {@link parsed}. */
export function writeTimeField(out: Buffer, o: number, withZone: boolean): number {
  if (parsed[PARSED_BINARY] === 0) return -1;
  const zone = parsed[PARSED_ZONE]!;
  const hasZone = zone === zone;
  if (hasZone !== withZone) return -1;
  writeInt32(out, o, withZone ? 12 : 8);
  o = writeInt64(out, o + 4, parsed[PARSED_TIME_US]!);
  return withZone ? writeInt32(out, o, -zone | 0) : o;
}
