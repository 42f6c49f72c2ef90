import type { LogicalType } from '../sdk/sql/index.js';
import { sameBytes } from './same-bytes.js';
import {
  daysSince2000, parsed, PARSED_BINARY, PARSED_DAYS, PARSED_TIME_US, PARSED_ZONE, writeDateField, writeInt32, writeInt8Field, writeNull,
  writeNumericField, writeTimeField, writeTimestampField,
} from './copy-binary-fields.js';

/** What a column's value was in this row. */
const ABSENT = 0;
const NULL = 1;
/** Bytes copied as they are: a string without escapes, a number in its canonical form, a date. */
const VERBATIM = 2;
/** A string with escapes, decoded at output. */
const ESCAPED = 3;
const TRUE = 4;
const FALSE = 5;
/** A decimal whose trailing fraction zeros are dropped (`1.50` → `1.5`), as String(Number) writes it. */
const STRIPPED = 6;
/** An object or array for a jsonb column, copied as sent (PostgreSQL parses it as it parses JSON.stringify's text). */
const JSON_RAW = 7;

/** Column types by code, so the scan switches on a small integer. */
const T_STRING = 0;
const T_INTEGER = 1;
const T_NUMBER = 2;
const T_BOOLEAN = 3;
const T_DATE = 4;
const T_TIMESTAMP = 5;
const T_TIME = 6;
const T_JSON = 7;
const TYPE_CODES: Record<LogicalType, number> = {
  string: T_STRING, integer: T_INTEGER, number: T_NUMBER, boolean: T_BOOLEAN, date: T_DATE,
  timestamp: T_TIMESTAMP, timestamp_tz: T_TIMESTAMP, time: T_TIME, time_tz: T_TIME, json: T_JSON,
};

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** scanBinary: the row must take the exact path. */
export const ROW_EXACT = -1;
/** scanBinary: a value is left to COPY text; write the row as text. */
export const ROW_TEXT = -2;
/** #scan's column to write in place: none (keys out of order, or a plain scan). */
const NOT_IN_PLACE = -1;
/** #scan's column to write in place: none, a value has no binary form here. */
const REFUSED = -2;
const NO_OUTPUT = Buffer.alloc(0);

export interface CopyColumn { readonly field: string; readonly type: LogicalType }

/**
 * Writes a RECORD's `data` object as the values of one PostgreSQL COPY text row, straight from the
 * JSON bytes: no JSON.parse, no string per value. It takes the common rows only and gives up
 * (returns -1) on anything else, which then takes the exact path (parseRecordData + coerceValue):
 * for every row this one accepts, the two leave the same values in PostgreSQL (the same bytes,
 * except objects and arrays for jsonb columns, which are sent as they came: jsonb does not keep
 * whitespace, key order or duplicate keys). It accepts an object whose values are null, strings
 * (escapes decoded, except `\u0000` and lone surrogates), numbers in the form String(Number(x))
 * would write, booleans, and objects or arrays for jsonb columns, each fitting its column as
 * coerceValue would pass it unchanged; missing keys are null, unknown keys are skipped. It gives up
 * on a duplicate key, a key with an escape, a value that coerceValue would change or null (a
 * misfit, recorded in `_airbyte_meta`), and any JSON it cannot vouch for.
 *
 * Measured on 1M rows of 8 columns (bench/RESULTS.md, issue 13): the destination's CPU for
 * typing and formatting went from JSON.parse + checks per value to one pass over the bytes.
 */
export class CopyRowEncoder {
  readonly #keys: Buffer[];
  /** Per column: its name can be compared with a key's raw bytes (see #expected). */
  readonly #plainKey: Uint8Array;
  readonly #types: Uint8Array;
  /** Per column: timestamptz or timetz (a zone is kept), for the binary form. */
  readonly #zoned: Uint8Array;
  readonly #kind: Uint8Array;
  readonly #start: Int32Array;
  readonly #end: Int32Array;
  /** The column expected next: keys usually come in column order (from the first, each row). */
  #next = 0;
  /** What the last #scan wrote in place (see there). */
  #binaryEnd = NOT_IN_PLACE;

  constructor(columns: readonly CopyColumn[]) {
    this.#keys = columns.map((c) => Buffer.from(c.field, 'utf8'));
    this.#plainKey = Uint8Array.from(this.#keys, (k) => (k.every((c) => c >= SPACE && c !== QUOTE && c !== BACKSLASH) ? 1 : 0));
    this.#types = Uint8Array.from(columns.map((c) => TYPE_CODES[c.type]));
    this.#zoned = Uint8Array.from(columns.map((c) => (c.type === 'timestamp_tz' || c.type === 'time_tz' ? 1 : 0)));
    this.#kind = new Uint8Array(columns.length);
    this.#start = new Int32Array(columns.length);
    this.#end = new Int32Array(columns.length);
  }

  /** The most bytes {@link encode} writes for `data` of this many bytes. */
  maxBytes(dataBytes: number): number {
    return 2 * dataBytes + 3 * this.#keys.length;
  }

  /**
   * Writes `\t` and the COPY text of each column, in column order, for the JSON object
   * `b[start, end)` into `out` at `at` (room for maxBytes needed). Returns where it stopped, or -1
   * when this row must take the exact path (what was written past `at` is then garbage).
   */
  encode(b: Buffer, start: number, end: number, out: Buffer, at: number): number {
    return this.scan(b, start, end) === end ? this.write(b, out, at) : -1;
  }

  /**
   * Reads the object that starts at `b[start]` and ends before `limit`; returns the index after
   * it, or -1 when the row must take the exact path. {@link write} then writes it.
   */
  scan(b: Buffer, start: number, limit: number): number {
    return this.#scan(b, start, limit, NO_OUTPUT, 0, NOT_IN_PLACE);
  }

  /**
   * {@link scan} and {@link writeBinary} in one: the binary COPY fields of the object `b[start, end)`
   * into `out` at `at` (room for maxBinaryBytes needed), written while the object is read when its
   * keys come in column order (missing and unknown keys aside), so each value is read once and its
   * string bytes copied as they are checked; otherwise by writeBinary after the scan. Returns where
   * the fields end, {@link ROW_EXACT} when the row must take the exact path, or {@link ROW_TEXT} when
   * a value is left to COPY text (then {@link write} the row: the scan's results stand).
   */
  scanBinary(b: Buffer, start: number, end: number, out: Buffer, at: number): number {
    if (this.#scan(b, start, end, out, at, 0) !== end) return ROW_EXACT;
    const written = this.#binaryEnd;
    if (written >= 0) return written;
    if (written === REFUSED) return ROW_TEXT;
    const o = this.writeBinary(b, out, at);
    return o < 0 ? ROW_TEXT : o;
  }

  /**
   * scan, writing the binary fields in place from column `w` on (0; NOT_IN_PLACE: not at all);
   * what it wrote is left in #binaryEnd: their end, NOT_IN_PLACE (keys out of column order), or
   * REFUSED (a value without its binary form here).
   */
  #scan(b: Buffer, start: number, limit: number, out: Buffer, at: number, w: number): number {
    const end = limit;
    let o = at;
    this.#next = 0;
    const kind = this.#kind;
    const starts = this.#start;
    const ends = this.#end;
    const types = this.#types;
    const n = kind.length;
    for (let c = 0; c < n; c++) kind[c] = ABSENT;
    if (b[start] !== 0x7b) return -1;
    let i = start + 1;
    if (b[i]! <= SPACE) i = ws(b, i, end);
    if (i < end && b[i] === RBRACE) i++;
    else for (;;) {
      if (i >= end || b[i] !== QUOTE) return -1;
      const ks = i + 1;
      let col = this.#expected(b, ks, end);
      let j: number;
      if (col >= 0) j = ks + this.#keys[col]!.length;
      else {
        for (j = ks; j < end; j++) {
          const c = b[j]!;
          if (c === QUOTE) break;
          if (c === BACKSLASH || c < SPACE) return -1;
        }
        if (j >= end) return -1;
        col = this.#column(b, ks, j);
      }
      // In place: the columns before this key's are missing (null); a key before them is out of
      // order (or a duplicate, refused below).
      if (w >= 0 && col >= 0) {
        if (col < w) w = NOT_IN_PLACE;
        else for (; w < col; w++) o = writeNull(out, o);
      }
      i = j + 1;
      if (b[i]! <= SPACE) i = ws(b, i, end);
      if (i >= end || b[i] !== COLON) return -1;
      i = i + 1;
      if (b[i]! <= SPACE) i = ws(b, i, end);
      if (i >= end) return -1;
      const c = b[i]!;
      const type = col >= 0 ? types[col]! : T_JSON;
      let k: number;
      let vs = i;
      let ve: number;
      if (c === QUOTE && col >= 0 && type >= T_DATE && type <= T_TIME) {
        // Dates, timestamps and times are read by their grammar up to the closing quote, without a
        // walk of the string first: their bytes can hold no escape or control character.
        vs = i + 1;
        ve = type === T_TIME ? timeWithZoneEnd(b, vs, end) : timestampEnd(b, vs, end);
        if (ve < 0 || b[ve] !== QUOTE) return -1;
        i = ve + 1;
        k = VERBATIM;
        if (w === col) { // in place, from what the grammar just parsed
          const e = this.#parsedField(col, vs, ve, out, o);
          if (e < 0) w = REFUSED;
          else { o = e; w = col + 1; }
        }
      } else if (c === QUOTE) {
        let escaped = false;
        j = i + 1;
        if (col >= 0 && w === col && type === T_STRING) {
          // The string's bytes copied into its binary field as they are checked (the loop below
          // plus a store); one with escapes is decoded again (as writeBinary does).
          let q = o + 4;
          for (; j < end; j++) {
            const x = b[j]!;
            if (x === QUOTE) break;
            if (x === BACKSLASH) { escaped = true; j++; continue; }
            if (x < SPACE) return -1;
            out[q++] = x;
          }
          if (j >= end) return -1;
          if (escaped) q = decodeString(b, i + 1, j, out, o + 4, true);
          if (q < 0) w = REFUSED;
          else { writeInt32(out, o, q - o - 4); o = q; w = col + 1; }
        } else {
          for (; j < end; j++) {
            const x = b[j]!;
            if (x === QUOTE) break;
            if (x === BACKSLASH) { escaped = true; j++; continue; }
            if (x < SPACE) return -1;
          }
          if (j >= end) return -1;
        }
        vs = i + 1;
        ve = j;
        i = j + 1;
        if (col < 0) { if (escaped) return -1; k = NULL; }
        else if (type === T_STRING) { k = escaped ? ESCAPED : VERBATIM; }
        else return -1;
      } else if (c === MINUS || (c >= ZERO && c <= 0x39)) {
        j = i + 1;
        while (j < end && isNumberByte(b[j]!)) j++;
        ve = j;
        i = j;
        if (type === T_INTEGER) {
          if (!isPlainInteger(b, vs, ve)) return -1;
          k = VERBATIM;
        } else if (type === T_NUMBER) {
          const e = canonicalDecimalEnd(b, vs, ve);
          if (e < 0) return -1;
          if (e !== ve) { ve = e; k = STRIPPED; } else k = VERBATIM;
        } else if (col < 0) {
          if (!isJsonNumber(b, vs, ve)) return -1;
          k = NULL;
        } else return -1;
      } else if (c === 0x74 && i + 4 <= end && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65) { // true
        i += 4; ve = i;
        if (type === T_BOOLEAN) k = TRUE; else if (col < 0) k = NULL; else return -1;
      } else if (c === 0x66 && i + 5 <= end && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65) { // false
        i += 5; ve = i;
        if (type === T_BOOLEAN) k = FALSE; else if (col < 0) k = NULL; else return -1;
      } else if (c === 0x6e && i + 4 <= end && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c) { // null
        i += 4; ve = i;
        k = NULL;
      } else if (c === LBRACE || c === LBRACKET) {
        if (col >= 0 && type !== T_JSON) return -1;
        ve = nestedEnd(b, i, end, 0);
        if (ve < 0) return -1;
        i = ve;
        k = col >= 0 ? JSON_RAW : NULL;
      } else {
        return -1; // anything that is not JSON
      }
      if (col >= 0) {
        if (kind[col] !== ABSENT) return -1; // a duplicate key: JSON.parse keeps the last
        kind[col] = k;
        starts[col] = vs;
        ends[col] = ve;
        if (w === col) {
          const e = this.#field(col, k, b, vs, ve, out, o);
          if (e < 0) w = REFUSED;
          else { o = e; w = col + 1; }
        }
      }
      i = i;
      if (b[i]! <= SPACE) i = ws(b, i, end);
      if (i >= end) return -1;
      if (b[i] === COMMA) { i++; if (b[i]! <= SPACE) i = ws(b, i, end); continue; }
      if (b[i] === RBRACE) { i++; break; }
      return -1;
    }
    // A row with a number a double would round takes parseRecordData's lossless parse there; it
    // writes the numbers taken here the same way (lossless-json keeps a number of up to 15
    // significant digits as a double), so that needs no check.
    if (w >= 0) for (; w < n; w++) o = writeNull(out, o);
    this.#binaryEnd = w >= 0 ? o : w;
    return i;
  }

  /**
   * Writes `\t` and the COPY text of each column of the row {@link scan} accepted last, in column
   * order, into `out` at `at` (room for maxBytes needed); `b` is the buffer scanned. Returns where
   * it stopped, or -1 when the row must take the exact path after all.
   */
  write(b: Buffer, out: Buffer, at: number): number {
    const kind = this.#kind;
    const starts = this.#start;
    const ends = this.#end;
    const n = kind.length;
    let o = at;
    for (let c = 0; c < n; c++) {
      out[o++] = TAB;
      switch (kind[c]) {
        case ABSENT: case NULL: out[o++] = BACKSLASH; out[o++] = 0x4e; break;
        case VERBATIM: case STRIPPED: o = copyBytes(b, starts[c]!, ends[c]!, out, o); break;
        case TRUE: out[o++] = 0x74; break;
        case FALSE: out[o++] = 0x66; break;
        case JSON_RAW: o = copyEscaped(b, starts[c]!, ends[c]!, out, o); break;
        default: o = decodeString(b, starts[c]!, ends[c]!, out, o); if (o < 0) return -1;
      }
    }
    return o;
  }

  /** The most bytes {@link writeBinary} writes for `data` of this many bytes. */
  maxBinaryBytes(dataBytes: number): number {
    return dataBytes + 40 * this.#keys.length;
  }

  /**
   * Writes the binary COPY fields (length, then the type's binary form) of each column of the row
   * {@link scan} accepted last, in column order, into `out` at `at` (room for maxBinaryBytes
   * needed), for columns of the types the destination creates (bigint, numeric, boolean, varchar,
   * date, time, timetz, timestamp, timestamptz, jsonb) in a UTC session. Returns where it stopped,
   * or -1 when a value is better left to PostgreSQL's text input (then {@link write} the row as text).
   */
  writeBinary(b: Buffer, out: Buffer, at: number): number {
    const kind = this.#kind;
    const starts = this.#start;
    const ends = this.#end;
    const n = kind.length;
    let o = at;
    for (let c = 0; c < n && o >= 0; c++) o = this.#field(c, kind[c]!, b, starts[c]!, ends[c]!, out, o);
    return o;
  }

  /** Column `c`'s binary field for a value of kind `k` at `b[s, e)`, at `out[o]`; its end, or -1 (left to COPY text). */
  #field(c: number, k: number, b: Buffer, s: number, e: number, out: Buffer, o: number): number {
    if (k === ABSENT || k === NULL) return writeNull(out, o);
    switch (this.#types[c]) {
      case T_STRING:
        if (k === VERBATIM) { writeInt32(out, o, e - s); return copyBytes(b, s, e, out, o + 4); }
        else { const v = decodeString(b, s, e, out, o + 4, true); if (v >= 0) writeInt32(out, o, v - o - 4); return v; }
      case T_INTEGER: return writeInt8Field(b, s, e, out, o);
      case T_NUMBER: return writeNumericField(b, s, e, out, o);
      case T_BOOLEAN: writeInt32(out, o, 1); out[o + 4] = k === TRUE ? 1 : 0; return o + 5;
      case T_DATE: case T_TIMESTAMP: timestampEnd(b, s, e); return this.#parsedField(c, s, e, out, o); // read again: fills `parsed`
      case T_TIME: timeWithZoneEnd(b, s, e); return this.#parsedField(c, s, e, out, o);
      default: writeInt32(out, o, e - s + 1); out[o + 4] = 1; return copyBytes(b, s, e, out, o + 5); // jsonb version 1, then its text
    }
  }

  /** Column `c`'s date, time or timestamp field from `parsed` (its text at `b[s, e)` read last by the grammar). */
  #parsedField(c: number, s: number, e: number, out: Buffer, o: number): number {
    switch (this.#types[c]) {
      case T_DATE: return e - s === 10 ? writeDateField(out, o) : -1;
      case T_TIMESTAMP: return writeTimestampField(out, o, this.#zoned[c] === 1);
      default: return writeTimeField(out, o, this.#zoned[c] === 1);
    }
  }

  /**
   * The column expected next when the key at `b[ks]` is its name followed by the closing quote,
   * compared in place (no walk of the key first), else -1. Only names without a quote, backslash
   * or control character: JSON writes those escaped, and such a key is refused (the walk below).
   */
  #expected(b: Buffer, ks: number, end: number): number {
    const next = this.#next;
    if (next >= this.#plainKey.length || this.#plainKey[next] === 0) return -1;
    const key = this.#keys[next]!;
    const e = ks + key.length;
    if (e >= end || b[e] !== QUOTE) return -1;
    for (let k = 0; k < key.length; k++) if (b[ks + k] !== key[k]) return -1;
    this.#next = next + 1;
    return next;
  }

  #column(b: Buffer, s: number, e: number): number {
    const keys = this.#keys;
    const next = this.#next;
    if (next < keys.length && sameBytes(b, s, e, keys[next]!)) { this.#next = next + 1; return next; }
    for (let c = 0; c < keys.length; c++) {
      if (sameBytes(b, s, e, keys[c]!)) { this.#next = c + 1; return c; }
    }
    return -1;
  }
}

/** Past JSON whitespace; callers test `b[i] <= SPACE` first (values rarely have any between them). */
function ws(b: Buffer, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c !== SPACE && c !== TAB && c !== LF && c !== CR) break;
    i++;
  }
  return i;
}

function isWord(b: Buffer, i: number, end: number, word: string): boolean {
  if (i + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

function isNumberByte(c: number): boolean {
  return (c >= ZERO && c <= 0x39) || c === DOT || c === 0x65 || c === 0x45 || c === PLUS || c === MINUS;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= 0x39;
}

const INT64_MAX = Buffer.from('9223372036854775807', 'latin1');
const INT64_MIN = Buffer.from('9223372036854775808', 'latin1');

/**
 * `-?(0|[1-9]\d{0,18})` within 64 bits, but not `-0`: what the exact path writes unchanged (up to 15
 * digits JSON.parse keeps the number exact; longer ones make the row's parse lossless, and coerceValue
 * writes their digits back as BigInt does). Ids of 16-19 digits are common (snowflake ids).
 */
function isPlainInteger(b: Buffer, s: number, e: number): boolean {
  let p = s;
  const negative = b[p] === MINUS;
  if (negative) p++;
  const n = e - p;
  if (n <= 0 || n > 19) return false;
  if (b[p] === ZERO) return n === 1 && !negative;
  for (let q = p; q < e; q++) if (!isDigit(b[q])) return false;
  return n < 19 || b.compare(negative ? INT64_MIN : INT64_MAX, 0, 19, p, e) <= 0;
}

/**
 * Where a decimal ends once written as the exact path writes it: `e` when it already is, an earlier
 * end when only trailing fraction zeros (and the dot) differ, -1 otherwise (exponents, more than 15
 * integer digits, below 1e-6, `-0`, and trailing zeros after more than 15 significant digits).
 * Up to 15 significant digits that is String(Number(x)). More make the row's parse lossless
 * (parseRecordData): a number whose digits survive a double becomes String(Number(x)), which then
 * has the digits as written, and one whose digits do not stays its text as written; both are the
 * text as written when it ends in no zero (doubles such as 0.30000000000000004 are common).
 */
function canonicalDecimalEnd(b: Buffer, s: number, e: number): number {
  let p = s;
  const negative = b[p] === MINUS;
  if (negative) p++;
  const ip = p;
  if (b[p] === ZERO) p++;
  else if (p < e && b[p]! > ZERO && b[p]! <= 0x39) while (p < e && isDigit(b[p])) p++;
  else return -1;
  const intDigits = p - ip;
  if (intDigits > 15) return -1;
  const intZero = b[ip] === ZERO;
  if (p === e) return negative && intZero ? -1 : e;
  if (b[p] !== DOT) return -1;
  const fs = ++p;
  while (p < e && isDigit(b[p])) p++;
  if (p !== e || p === fs) return -1;
  let q = e;
  while (q > fs && b[q - 1] === ZERO) q--;
  if (q === fs) return negative && intZero ? -1 : fs - 1;
  let significant: number;
  if (intZero) {
    let z = fs;
    while (b[z] === ZERO) z++;
    if (z - fs > 5) return -1;
    significant = q - z;
  } else {
    significant = intDigits + (q - fs);
  }
  if (significant <= 15) return q;
  return q === e && e - fs <= 24 ? e : -1;
}

/** The JSON number grammar, for values that are skipped: JSON.parse must accept what passes. */
function isJsonNumber(b: Buffer, s: number, e: number): boolean {
  let p = s;
  if (b[p] === MINUS) p++;
  if (b[p] === ZERO) p++;
  else if (p < e && b[p]! > ZERO && b[p]! <= 0x39) while (p < e && isDigit(b[p])) p++;
  else return false;
  if (p < e && b[p] === DOT) {
    const f = ++p;
    while (p < e && isDigit(b[p])) p++;
    if (p === f) return false;
  }
  if (p < e && (b[p] === 0x65 || b[p] === 0x45)) {
    p++;
    if (b[p] === PLUS || b[p] === MINUS) p++;
    const x = p;
    while (p < e && isDigit(b[p])) p++;
    if (p === x) return false;
  }
  return p === e;
}

/**
 * The end of the object or array at `i` when PostgreSQL's jsonb reads it as it reads JSON.stringify
 * of JSON.parse of it (whitespace, key order and duplicate keys do not matter to jsonb), else -1.
 * Numbers must be in String(Number(x))'s form (jsonb keeps `1.50`, JSON.stringify writes `1.5`);
 * `\u` escapes of NUL (removed, TRUNCATED), surrogates (jsonb refuses lone ones) and printable ASCII
 * (so that the text `\u0000`, which the exact path removes, can only be seen in the bytes) are refused.
 */
function nestedEnd(b: Buffer, i: number, end: number, depth: number): number {
  if (depth > 64) return -1;
  const object = b[i] === LBRACE;
  const close = object ? RBRACE : RBRACKET;
  i = i + 1;
  if (b[i]! <= SPACE) i = ws(b, i, end);
  if (i < end && b[i] === close) return i + 1;
  for (;;) {
    if (object) {
      if (i >= end || b[i] !== QUOTE) return -1;
      i = jsonStringEnd(b, i, end);
      if (b[i]! <= SPACE) i = ws(b, i, end);
      if (i < 0 || i >= end || b[i] !== COLON) return -1;
      i = i + 1;
      if (b[i]! <= SPACE) i = ws(b, i, end);
    }
    if (i >= end) return -1;
    const c = b[i]!;
    if (c === QUOTE) i = jsonStringEnd(b, i, end);
    else if (c === LBRACE || c === LBRACKET) i = nestedEnd(b, i, end, depth + 1);
    else if (c === MINUS || (c >= ZERO && c <= 0x39)) {
      let j = i + 1;
      while (j < end && isNumberByte(b[j]!)) j++;
      i = canonicalDecimalEnd(b, i, j) === j ? j : -1;
    } else if (isWord(b, i, end, 'true') || isWord(b, i, end, 'null')) i += 4;
    else if (isWord(b, i, end, 'false')) i += 5;
    else return -1;
    if (i < 0) return -1;
    i = i;
    if (b[i]! <= SPACE) i = ws(b, i, end);
    if (i >= end) return -1;
    if (b[i] === COMMA) { i++; if (b[i]! <= SPACE) i = ws(b, i, end); continue; }
    return b[i] === close ? i + 1 : -1;
  }
}

/** The end of the JSON string at `i` (its quote) under nestedEnd's rules, or -1. */
function jsonStringEnd(b: Buffer, i: number, end: number): number {
  for (let j = i + 1; j < end;) {
    const c = b[j]!;
    if (c === QUOTE) return j + 1;
    if (c < SPACE) return -1;
    if (c !== BACKSLASH) { j++; continue; }
    const x = b[j + 1];
    if (x === 0x75) {
      const cp = hex4(b, j + 2);
      if (cp <= 0 || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= SPACE && cp < 0x7f) || j + 6 > end) return -1;
      j += 6;
    } else if (x === BACKSLASH) {
      if (isWord(b, j + 2, end, 'u0000')) return -1;
      j += 2;
    } else if (x === QUOTE || x === SLASH || x === 0x62 || x === 0x66 || x === 0x6e || x === 0x72 || x === 0x74) {
      j += 2;
    } else {
      return -1;
    }
  }
  return -1;
}

/** JSON text as COPY text: backslashes doubled, the whitespace COPY escapes written as escapes. */
function copyEscaped(b: Buffer, s: number, e: number, out: Buffer, o: number): number {
  for (let p = s; p < e; p++) {
    const c = b[p]!;
    if (c === BACKSLASH) { out[o++] = BACKSLASH; out[o++] = BACKSLASH; }
    else if (c === TAB) { out[o++] = BACKSLASH; out[o++] = 0x74; }
    else if (c === CR) { out[o++] = BACKSLASH; out[o++] = 0x72; }
    else if (c === LF) { out[o++] = BACKSLASH; out[o++] = 0x6e; }
    else out[o++] = c;
  }
  return o;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits' value, else -1 (also past the buffer's end: a NaN fails both tests). */
function twoDigits(b: Buffer, p: number): number {
  const h = b[p]! - ZERO;
  const l = b[p + 1]! - ZERO;
  return h >= 0 && h <= 9 && l >= 0 && l <= 9 ? h * 10 + l : -1;
}

/**
 * The end of what coerceValue's date-time pattern accepts at `s` (a date, optionally `T`, `t` or a
 * space and a time with an optional zone), or -1. A subset: no space before the zone. It ends at `e`
 * or at a quote (the JSON string's end); the caller checks that the string ends there.
 */
function timestampEnd(b: Buffer, s: number, e: number): number {
  if (e - s < 10) return -1;
  const hi = twoDigits(b, s);
  const lo = twoDigits(b, s + 2);
  if (hi < 0 || lo < 0 || b[s + 4] !== MINUS || b[s + 7] !== MINUS) return -1;
  const year = hi * 100 + lo;
  const month = twoDigits(b, s + 5);
  const day = twoDigits(b, s + 8);
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return -1;
  if (month === 2 && day === 29 && !((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return -1;
  parsed[PARSED_DAYS] = daysSince2000(year, month, day);
  const p = s + 10;
  if (p === e || b[p] === QUOTE) {
    parsed[PARSED_TIME_US] = 0;
    parsed[PARSED_ZONE] = NaN;
    parsed[PARSED_BINARY] = 1;
    return p;
  }
  const t = b[p];
  if (t !== 0x54 && t !== 0x74 && t !== SPACE) return -1;
  return timeWithZoneEnd(b, p + 1, e);
}

/**
 * `([01]\d|2[0-3]):[0-5]\d(:([0-5]\d|60)(\.\d{1,9})?)?` then an optional zone; its end (`e` or a
 * quote, as timestampEnd), or -1. The time of day and the zone go to `parsed` (PARSED_BINARY 0 for
 * a leap second or more than 6 fraction digits).
 */
function timeWithZoneEnd(b: Buffer, s: number, e: number): number {
  const hour = twoDigits(b, s);
  const minute = twoDigits(b, s + 3);
  if (hour < 0 || hour > 23 || b[s + 2] !== COLON || minute < 0 || minute > 59) return -1;
  let p = s + 5;
  let second = 0;
  let us = 0;
  let binary = 1;
  if (p < e && b[p] === COLON) {
    second = twoDigits(b, p + 1);
    if (second < 0 || second > 60) return -1;
    if (second === 60) binary = 0;
    p += 3;
    if (p < e && b[p] === DOT) {
      const f = ++p;
      let digits = 0; // OR of the fraction's digit values: 0 when all are zeros
      for (; p < e; p++) {
        const d = b[p]! - ZERO;
        if (!(d >= 0 && d <= 9)) break;
        digits |= d;
        if (p - f < 6) us = us * 10 + d;
      }
      const n = p - f;
      if (n === 0 || n > 9) return -1;
      if (n > 6) binary = 0;
      else for (let k = n; k < 6; k++) us *= 10;
      // 23:59:60 is the next midnight in PostgreSQL; past it is out of range (coerceValue nulls it).
      if (digits !== 0 && second === 60 && hour === 23 && minute === 59) return -1;
    }
  }
  parsed[PARSED_TIME_US] = ((hour * 60 + minute) * 60 + second) * 1_000_000 + us;
  parsed[PARSED_BINARY] = binary;
  if (p === e || b[p] === QUOTE) { parsed[PARSED_ZONE] = NaN; return p; }
  const z = b[p];
  if (z === 0x5a || z === 0x7a) { parsed[PARSED_ZONE] = 0; return p + 1; }
  if (z !== PLUS && z !== MINUS) return -1;
  const zh = twoDigits(b, p + 1);
  if (zh < 0 || zh > 15) return -1;
  p += 3;
  let zm = 0;
  if (p !== e && b[p] !== QUOTE) {
    if (b[p] === COLON) p++;
    zm = twoDigits(b, p);
    if (zm < 0 || zm > 59) return -1;
    p += 2;
  }
  const seconds = (zh * 60 + zm) * 60;
  parsed[PARSED_ZONE] = z === MINUS ? -seconds : seconds;
  return p;
}

const COPY_LOOP_BYTES = 256;
/**
 * Values byte by byte up to COPY_LOOP_BYTES: Buffer.copy of part of a buffer makes a Uint8Array view
 * per call (~100 MB of garbage per million rows of the benchmark table, whose 64-character note went
 * that way), and the encoder measured faster with the loop (bench/RESULTS.md, session 6).
 */
function copyBytes(b: Buffer, s: number, e: number, out: Buffer, o: number): number {
  if (e - s > COPY_LOOP_BYTES) return o + b.copy(out, o, s, e);
  for (let p = s; p < e; p++) out[o++] = b[p]!;
  return o;
}

function hex4(b: Buffer, p: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = b[p + k];
    let d: number;
    if (c === undefined) return -1;
    if (c >= ZERO && c <= 0x39) d = c - ZERO;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** One code point as COPY text: the four characters COPY escapes, else UTF-8. */
function writeCodePoint(cp: number, out: Buffer, o: number): number {
  if (cp < 0x80) {
    if (cp === BACKSLASH) { out[o++] = BACKSLASH; out[o++] = BACKSLASH; }
    else if (cp === LF) { out[o++] = BACKSLASH; out[o++] = 0x6e; }
    else if (cp === CR) { out[o++] = BACKSLASH; out[o++] = 0x72; }
    else if (cp === TAB) { out[o++] = BACKSLASH; out[o++] = 0x74; }
    else out[o++] = cp;
  } else if (cp < 0x800) {
    out[o++] = 0xc0 | (cp >> 6);
    out[o++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    out[o++] = 0xe0 | (cp >> 12);
    out[o++] = 0x80 | ((cp >> 6) & 0x3f);
    out[o++] = 0x80 | (cp & 0x3f);
  } else {
    out[o++] = 0xf0 | (cp >> 18);
    out[o++] = 0x80 | ((cp >> 12) & 0x3f);
    out[o++] = 0x80 | ((cp >> 6) & 0x3f);
    out[o++] = 0x80 | (cp & 0x3f);
  }
  return o;
}

/**
 * A JSON string body with escapes, decoded and written as COPY text (`raw`: as the UTF-8 bytes
 * themselves, for binary COPY); -1 for what the exact path
 * treats otherwise: `\u0000` and the text `\u0000` (removed and recorded as TRUNCATED), lone
 * surrogates (written as U+FFFD there) and invalid escapes (JSON.parse throws).
 */
function decodeString(b: Buffer, s: number, e: number, out: Buffer, o: number, raw = false): number {
  const o0 = o;
  let backslash = false;
  for (let p = s; p < e;) {
    const c = b[p]!;
    if (c !== BACKSLASH) { out[o++] = c; p++; continue; }
    const x = b[p + 1];
    p += 2;
    switch (x) {
      case QUOTE: out[o++] = QUOTE; break;
      case SLASH: out[o++] = SLASH; break;
      case BACKSLASH: if (!raw) out[o++] = BACKSLASH; out[o++] = BACKSLASH; backslash = true; break;
      case 0x62: out[o++] = 0x08; break;
      case 0x66: out[o++] = 0x0c; break;
      case 0x6e: if (raw) out[o++] = LF; else { out[o++] = BACKSLASH; out[o++] = 0x6e; } break;
      case 0x72: if (raw) out[o++] = CR; else { out[o++] = BACKSLASH; out[o++] = 0x72; } break;
      case 0x74: if (raw) out[o++] = TAB; else { out[o++] = BACKSLASH; out[o++] = 0x74; } break;
      case 0x75: {
        let cp = hex4(b, p);
        if (cp <= 0 || p + 4 > e) return -1;
        p += 4;
        if (cp >= 0xdc00 && cp <= 0xdfff) return -1;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          if (b[p] !== BACKSLASH || b[p + 1] !== 0x75 || p + 6 > e) return -1;
          const low = hex4(b, p + 2);
          if (low < 0xdc00 || low > 0xdfff) return -1;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          p += 6;
        }
        if (cp === BACKSLASH) backslash = true;
        if (raw && cp < 0x80) out[o++] = cp;
        else o = writeCodePoint(cp, out, o);
        break;
      }
      default: return -1;
    }
  }
  // A decoded `\u0000` (six characters; `\\u0000` in COPY text): coerceValue removes it.
  if (backslash && out.subarray(o0, o).includes(raw ? '\\u0000' : '\\\\u0000', 0, 'latin1')) return -1;
  return o;
}
