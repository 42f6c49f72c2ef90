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
const PLUS = 0x2b;
const DOT = 0x2e;
const COLON = 0x3a;

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

function two(b: Buffer, p: number): number {
  return (b[p]! - ZERO) * 10 + b[p + 1]! - ZERO;
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

/** Days since 2000-01-01 of the `YYYY-MM-DD` at `s` (timestampEnd checked it). */
function pgDays(b: Buffer, s: number): number {
  const y = two(b, s) * 100 + two(b, s + 2);
  const m = two(b, s + 5);
  return YEAR_DAYS[y]! + MONTH_DAYS[m]! + (m > 2 ? LEAP[y]! : 0) + two(b, s + 8) - 1;
}

/**
 * What a time of day parsed into: [0] microseconds, [1] the zone's offset east of UTC in seconds
 * (NaN: none). A Float64Array, not module variables: a double stored in a `let` outside the function
 * is a new heap number per row (30 MB of garbage per million rows of the benchmark table).
 */
const parsed = new Float64Array(2);
const TIME_US = 0;
const ZONE_SECONDS = 1;

/**
 * The `HH:MM[:SS[.f{1,6}]][zone]` at `s` (timeWithZoneEnd checked its shape) into `parsed`; false
 * for what is left to PostgreSQL's text input: a leap second (it rolls over) and more than 6
 * fraction digits (it rounds).
 */
function parseTime(b: Buffer, s: number, e: number): boolean {
  let p = s + 5;
  let sec = 0;
  let us = 0;
  if (p < e && b[p] === COLON) {
    sec = two(b, p + 1);
    if (sec === 60) return false;
    p += 3;
    if (p < e && b[p] === DOT) {
      const f = ++p;
      while (p < e && b[p]! >= ZERO && b[p]! <= 0x39) p++;
      if (p - f > 6) return false;
      for (let k = f; k < f + 6; k++) us = us * 10 + (k < p ? b[k]! - ZERO : 0);
    }
  }
  parsed[TIME_US] = ((two(b, s) * 60 + two(b, s + 3)) * 60 + sec) * 1_000_000 + us;
  if (p === e) { parsed[ZONE_SECONDS] = NaN; return true; }
  const z = b[p];
  if (z !== PLUS && z !== MINUS) { parsed[ZONE_SECONDS] = 0; return true; } // Z or z
  let minutes = two(b, p + 1) * 60;
  p += 3;
  if (p < e) minutes += two(b, b[p] === COLON ? p + 1 : p);
  parsed[ZONE_SECONDS] = (z === MINUS ? -minutes : minutes) * 60;
  return true;
}

/** date from a plain `YYYY-MM-DD` (a timestamp's text in a date column is left to PostgreSQL). */
export function writeDateField(b: Buffer, s: number, e: number, out: Buffer, o: number): number {
  if (e - s !== 10) return -1;
  writeInt32(out, o, 4);
  return writeInt32(out, o + 4, pgDays(b, s) | 0);
}

/**
 * timestamp or timestamptz from timestampEnd's shape: microseconds since 2000-01-01. With a zone
 * the instant (timestamptz) or the local fields as written (timestamp: PostgreSQL ignores the zone);
 * without one the session's zone, which is UTC (connectPostgres sets it).
 */
export function writeTimestampField(b: Buffer, s: number, e: number, out: Buffer, o: number, withZone: boolean): number {
  const days = pgDays(b, s);
  let us = 0;
  let zone = 0;
  if (e - s > 10) {
    if (!parseTime(b, s + 11, e)) return -1;
    us = parsed[TIME_US]!;
    const z = parsed[ZONE_SECONDS]!;
    if (withZone && z === z) zone = z;
  }
  writeInt32(out, o, 8);
  if (days > -EXACT_DAYS && days < EXACT_DAYS) return writeInt64(out, o + 4, days * US_PER_DAY + us - zone * 1_000_000);
  out.writeBigInt64BE(BigInt(days) * BigInt(US_PER_DAY) + BigInt(us - zone * 1_000_000), o + 4);
  return o + 12;
}

/** time (no zone written) or timetz (a zone written; PostgreSQL keeps it, as seconds west of UTC). */
export function writeTimeField(b: Buffer, s: number, e: number, out: Buffer, o: number, withZone: boolean): number {
  if (!parseTime(b, s, e)) return -1;
  const zone = parsed[ZONE_SECONDS]!;
  const hasZone = zone === zone;
  if (hasZone !== withZone) return -1;
  writeInt32(out, o, withZone ? 12 : 8);
  o = writeInt64(out, o + 4, parsed[TIME_US]!);
  return withZone ? writeInt32(out, o, -zone | 0) : o;
}
