/**
 * Byte writers for the values of a binary COPY row, producing exactly the JSON text the server's
 * `row_to_json` over column-types.ts' expressions produced (the official connector's formats), so
 * the server only runs its cheap send/output functions. Each writer appends to `out` at `pos` and
 * returns the new position; the caller guarantees room (see maxJsonBytes).
 *
 * Why by hand: building the JSON on the server (row_to_json + to_char) cost ~2.2 CPU-s per million
 * rows of the benchmark table, sending the raw columns ~0.5 (bench/RESULTS.md, issue 13).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * What PostgreSQL's escape_json does to each byte: 0 = copied, else the letter after the backslash
 * ('u' = \u00XX with lowercase hex). Bytes ≥ 0x80 (UTF-8 sequences) and DEL are copied as they are.
 */
const ESCAPE = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) ESCAPE[b] = 0x75;
ESCAPE[0x08] = 0x62; // \b
ESCAPE[0x09] = 0x74; // \t
ESCAPE[0x0a] = 0x6e; // \n
ESCAPE[0x0c] = 0x66; // \f
ESCAPE[0x0d] = 0x72; // \r
ESCAPE[QUOTE] = QUOTE;
ESCAPE[BACKSLASH] = BACKSLASH;

/** Worst case of writeJsonString for `n` bytes: every byte a \u00XX, plus the quotes. */
export function maxJsonStringBytes(n: number): number {
  return n * 6 + 2;
}

/**
 * `src[start, end)` (UTF-8) as a JSON string, escaped as PostgreSQL's escape_json escapes it.
 * Four bytes at a time while none needs escaping: twice as fast as a byte loop in V8 (measured on
 * 8- to 256-byte strings), this being most of the bytes of a typical row.
 */
export function writeJsonString(src: Uint8Array, start: number, end: number, out: Uint8Array, pos: number): number {
  out[pos++] = QUOTE;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const a = src[i]!;
    const b = src[i + 1]!;
    const c = src[i + 2]!;
    const d = src[i + 3]!;
    if ((ESCAPE[a]! | ESCAPE[b]! | ESCAPE[c]! | ESCAPE[d]!) !== 0) break;
    out[pos] = a;
    out[pos + 1] = b;
    out[pos + 2] = c;
    out[pos + 3] = d;
    pos += 4;
  }
  for (; i < end; i++) {
    const b = src[i]!;
    const e = ESCAPE[b]!;
    if (e === 0) {
      out[pos++] = b;
    } else if (e !== 0x75) {
      out[pos++] = BACKSLASH;
      out[pos++] = e;
    } else {
      out[pos++] = BACKSLASH;
      out[pos++] = 0x75;
      out[pos++] = 0x30;
      out[pos++] = 0x30;
      out[pos++] = HEX[b >> 4]!;
      out[pos++] = HEX[b & 15]!;
    }
  }
  out[pos++] = QUOTE;
  return pos;
}

/** Copies `src[start, end)` as it is (numbers and JSON the server already formatted); four bytes a step, as above. */
export function writeBytes(src: Uint8Array, start: number, end: number, out: Uint8Array, pos: number): number {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    out[pos] = src[i]!;
    out[pos + 1] = src[i + 1]!;
    out[pos + 2] = src[i + 2]!;
    out[pos + 3] = src[i + 3]!;
    pos += 4;
  }
  for (; i < end; i++) out[pos++] = src[i]!;
  return pos;
}

function writeAscii(text: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < text.length; i++) out[pos++] = text.charCodeAt(i);
  return pos;
}

export function writeNull(out: Uint8Array, pos: number): number {
  out[pos] = 0x6e;
  out[pos + 1] = 0x75;
  out[pos + 2] = 0x6c;
  out[pos + 3] = 0x6c;
  return pos + 4;
}

export function writeBool(value: boolean, out: Uint8Array, pos: number): number {
  if (value) {
    out[pos] = 0x74;
    out[pos + 1] = 0x72;
    out[pos + 2] = 0x75;
    out[pos + 3] = 0x65;
    return pos + 4;
  }
  out[pos] = 0x66;
  out[pos + 1] = 0x61;
  out[pos + 2] = 0x6c;
  out[pos + 3] = 0x73;
  out[pos + 4] = 0x65;
  return pos + 5;
}

/** Whether a numeric/float text output is NaN, Infinity or -Infinity (the official connector nulls them). */
export function isNonFinite(src: Uint8Array, start: number): boolean {
  const c = src[start];
  return c === 0x4e /* N */ || c === 0x49 /* I */ || (c === 0x2d /* - */ && src[start + 1] === 0x49);
}

/** "00".."99" as byte pairs: two digits with one lookup instead of a division and a remainder each. */
const DIGITS2 = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGITS2[2 * i] = 0x30 + ((i / 10) | 0);
  DIGITS2[2 * i + 1] = 0x30 + (i % 10);
}

function digits2(n: number, out: Uint8Array, pos: number): number {
  out[pos] = DIGITS2[2 * n]!;
  out[pos + 1] = DIGITS2[2 * n + 1]!;
  return pos + 2;
}

/** A non-negative integer with at least `width` digits (zero-padded). */
function digitsPadded(n: number, width: number, out: Uint8Array, pos: number): number {
  let len = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
  if (len < width) len = width;
  for (let i = len - 1; i >= 0; i--) {
    out[pos + i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return pos + len;
}

/**
 * Dates written lately (`YYYY-MM-DD`), as bytes, in 64 slots by the day number's low bits: rows in a
 * table often share their days, and the calendar arithmetic was the most expensive part of a
 * timestamp (a CPU profile of 1 M rows). More than one slot, so two timestamp columns of a row do
 * not evict each other. Typed arrays rather than module variables, which cost more to read.
 */
const SLOTS = 64;
const ymdDays = new Float64Array(SLOTS).fill(NaN);
const ymdBytes = new Uint8Array(SLOTS * 16);
/** Per slot: the length of its bytes, and 1 when the date is BC. */
const ymdLen = new Int32Array(SLOTS);
const ymdBc = new Uint8Array(SLOTS);
/** Whether the date writeYmd wrote last is BC. */
let lastBc = 0;

/**
 * Fills `slot` with the proleptic Gregorian date of `days` since 2000-01-01 as PostgreSQL's ISO
 * date output prints it (`YYYY-MM-DD`, at least 4 year digits; year ≤ 0 astronomically is
 * (1 - year) BC). Civil-from-days as in H. Hinnant's date algorithms.
 */
function computeYmd(days: number, slot: number): void {
  const z = days + 10957 + 719468; // days since 0000-03-01
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097; // [0, 146096]
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const bc = year <= 0;
  const base = slot * 16;
  let n = digitsPadded(bc ? 1 - year : year, 4, ymdBytes, base);
  ymdBytes[n++] = 0x2d;
  n = digits2(month, ymdBytes, n);
  ymdBytes[n++] = 0x2d;
  ymdLen[slot] = digits2(day, ymdBytes, n) - base;
  ymdBc[slot] = bc ? 1 : 0;
  ymdDays[slot] = days;
}

/** Writes the date of `days` since 2000-01-01; returns the position (lastBc says whether BC). */
function writeYmd(days: number, out: Uint8Array, pos: number): number {
  const slot = days & (SLOTS - 1);
  if (days !== ymdDays[slot]) computeYmd(days, slot);
  const base = slot * 16;
  const end = base + ymdLen[slot]!;
  for (let i = base; i < end; i++) out[pos++] = ymdBytes[i]!;
  lastBc = ymdBc[slot]!;
  return pos;
}

/** `HH:MI:SS.US` of `us` microseconds since midnight (hours may reach 24, as time allows). */
function writeClock(us: number, out: Uint8Array, pos: number): number {
  const secs = Math.floor(us / 1_000_000);
  const frac = us - secs * 1_000_000;
  let d = 2 * ((secs / 3600) | 0);
  out[pos] = DIGITS2[d]!;
  out[pos + 1] = DIGITS2[d + 1]!;
  out[pos + 2] = 0x3a;
  d = 2 * (((secs / 60) | 0) % 60);
  out[pos + 3] = DIGITS2[d]!;
  out[pos + 4] = DIGITS2[d + 1]!;
  out[pos + 5] = 0x3a;
  d = 2 * (secs % 60);
  out[pos + 6] = DIGITS2[d]!;
  out[pos + 7] = DIGITS2[d + 1]!;
  out[pos + 8] = 0x2e;
  d = 2 * ((frac / 10000) | 0);
  out[pos + 9] = DIGITS2[d]!;
  out[pos + 10] = DIGITS2[d + 1]!;
  d = 2 * (((frac / 100) | 0) % 100);
  out[pos + 11] = DIGITS2[d]!;
  out[pos + 12] = DIGITS2[d + 1]!;
  d = 2 * (frac % 100);
  out[pos + 13] = DIGITS2[d]!;
  out[pos + 14] = DIGITS2[d + 1]!;
  return pos + 15;
}

const US_PER_DAY = 86_400_000_000;
const BIG_US_PER_DAY = 86_400_000_000n;
const BC = ' BC';

/**
 * A binary timestamp/timestamptz (int64 microseconds since 2000-01-01, UTC for timestamptz) at
 * `src[p]`, as the official format: "2024-01-31T10:11:12.000000" (+ "Z" with `zulu`), " BC" after
 * it for years before 1, and "infinity"/"-infinity" as PostgreSQL prints them.
 */
export function writeTimestamp(src: Uint8Array, p: number, zulu: boolean, out: Uint8Array, pos: number): number {
  const hi = (src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) | src[p + 3]!;
  const lo = ((src[p + 4]! << 24) | (src[p + 5]! << 16) | (src[p + 6]! << 8) | src[p + 7]!) >>> 0;
  let days: number;
  let us: number;
  if (hi >= -0x200000 && hi < 0x200000) {
    // |t| < 2^53: exact as a double (about ±285 years around 2000).
    const t = hi * 4294967296 + lo;
    days = Math.floor(t / US_PER_DAY);
    us = t - days * US_PER_DAY;
  } else {
    if (hi === 0x7fffffff && lo === 0xffffffff) return writeAscii('"infinity"', out, pos);
    if (hi === -0x80000000 && lo === 0) return writeAscii('"-infinity"', out, pos);
    const t = (BigInt(hi) << 32n) | BigInt(lo);
    let d = t / BIG_US_PER_DAY;
    if (t % BIG_US_PER_DAY < 0n) d -= 1n;
    days = Number(d);
    us = Number(t - d * BIG_US_PER_DAY);
  }
  out[pos++] = QUOTE;
  pos = writeYmd(days, out, pos);
  out[pos++] = 0x54; // T
  pos = writeClock(us, out, pos);
  if (zulu) out[pos++] = 0x5a; // Z
  if (lastBc === 1) pos = writeAscii(BC, out, pos);
  out[pos++] = QUOTE;
  return pos;
}

/** A binary date (int32 days since 2000-01-01) as its ISO text: "2024-01-31", "0044-03-15 BC", "infinity". */
export function writeDate(src: Uint8Array, p: number, out: Uint8Array, pos: number): number {
  const days = (src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) | src[p + 3]!;
  if (days === 0x7fffffff) return writeAscii('"infinity"', out, pos);
  if (days === -0x80000000) return writeAscii('"-infinity"', out, pos);
  out[pos++] = QUOTE;
  pos = writeYmd(days, out, pos);
  if (lastBc === 1) pos = writeAscii(BC, out, pos);
  out[pos++] = QUOTE;
  return pos;
}

/** A binary time (int64 microseconds since midnight) as "10:11:12.000000". */
export function writeTime(src: Uint8Array, p: number, out: Uint8Array, pos: number): number {
  const hi = (src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) | src[p + 3]!;
  const lo = ((src[p + 4]! << 24) | (src[p + 5]! << 16) | (src[p + 6]! << 8) | src[p + 7]!) >>> 0;
  out[pos++] = QUOTE;
  pos = writeClock(hi * 4294967296 + lo, out, pos);
  out[pos++] = QUOTE;
  return pos;
}

/** Upper bound of what writeTimestamp/writeDate/writeTime write. */
export const MAX_TEMPORAL_BYTES = 48;
