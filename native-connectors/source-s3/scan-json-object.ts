/**
 * Checks, without building it, that bytes [start, end) hold exactly one JSON object (JSON whitespace
 * around it allowed) none of whose top-level members is `null`, and returns the index of its closing
 * `}`; -1 for anything else (not JSON, not an object, a top-level null, nesting deeper than 256).
 * -1 only means "take the slow path": a JSON.parse of the line decides there.
 *
 * Why hand-written: reading JSON lines, source-s3 spent about half of its CPU in JSON.parse only to
 * learn that a line is valid, and then emitted the line's own text. This scan accepts a subset of
 * what JSON.parse accepts (RFC 8259's grammar over bytes; UTF-8 is checked separately) and is several
 * times faster (measured in bench/RESULTS.md, S3 connectors). One flat loop with local variables:
 * V8 optimises that better than recursive functions sharing a cursor.
 */
export function scanJsonObject(b: Uint8Array, start: number, end: number): number {
  let p = start;
  while (p < end && isWs(b[p]!)) p++;
  if (p >= end || b[p] !== OPEN_OBJECT) return -1;
  const stack = STACK;
  let depth = 1;
  stack[0] = IN_OBJECT;
  p++;
  let state = OBJECT_START;
  for (;;) {
    while (p < end && isWs(b[p]!)) p++;
    if (p >= end) return -1;
    let c = b[p]!;
    switch (state) {
      case OBJECT_START:
        if (c === CLOSE_OBJECT) {
          p++;
          if (--depth === 0) return rest(b, p, end);
          state = AFTER_VALUE;
          continue;
        }
      // falls through: a key
      case KEY:
        if (c !== QUOTE) return -1;
        p = string(b, p + 1, end);
        if (p < 0) return -1;
        while (p < end && isWs(b[p]!)) p++;
        if (p >= end || b[p] !== COLON) return -1;
        p++;
        while (p < end && isWs(b[p]!)) p++;
        if (p >= end) return -1;
        c = b[p]!;
        // the official connector leaves top-level nulls out of a record: those lines are parsed
        if (depth === 1 && c === 0x6e) return -1;
        break; // to the value
      case ARRAY_START:
        if (c === CLOSE_ARRAY) {
          p++;
          depth--;
          state = AFTER_VALUE;
          continue;
        }
        break; // to the value
      case AFTER_VALUE:
        p++;
        if (stack[depth - 1] === IN_OBJECT) {
          if (c === COMMA) { state = KEY; continue; }
          if (c !== CLOSE_OBJECT) return -1;
        } else {
          if (c === COMMA) { state = VALUE; continue; }
          if (c !== CLOSE_ARRAY) return -1;
        }
        if (--depth === 0) return rest(b, p, end);
        continue;
      default: // VALUE
        break;
    }
    // a value starts at p (c = b[p])
    if (c === QUOTE) {
      p = string(b, p + 1, end);
      if (p < 0) return -1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === MAX_DEPTH) return -1;
      stack[depth++] = c === OPEN_OBJECT ? IN_OBJECT : IN_ARRAY;
      p++;
      state = c === OPEN_OBJECT ? OBJECT_START : ARRAY_START;
      continue;
    } else if (c === 0x74) { // true
      if (p + 4 > end || b[p + 1] !== 0x72 || b[p + 2] !== 0x75 || b[p + 3] !== 0x65) return -1;
      p += 4;
    } else if (c === 0x66) { // false
      if (p + 5 > end || b[p + 1] !== 0x61 || b[p + 2] !== 0x6c || b[p + 3] !== 0x73 || b[p + 4] !== 0x65) return -1;
      p += 5;
    } else if (c === 0x6e) { // null
      if (p + 4 > end || b[p + 1] !== 0x75 || b[p + 2] !== 0x6c || b[p + 3] !== 0x6c) return -1;
      p += 4;
    } else {
      p = number(b, p, end);
      if (p < 0) return -1;
    }
    state = AFTER_VALUE;
  }
}

const MAX_DEPTH = 256;
const STACK = new Uint8Array(MAX_DEPTH);
const IN_OBJECT = 1;
const IN_ARRAY = 2;
const OBJECT_START = 0;
const KEY = 1;
const VALUE = 2;
const ARRAY_START = 3;
const AFTER_VALUE = 4;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** JSON's whitespace: space, line feed, carriage return, tab. */
export function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** After the object closed at p - 1: only whitespace may follow. */
function rest(b: Uint8Array, p: number, end: number): number {
  const close = p - 1;
  while (p < end && isWs(b[p]!)) p++;
  return p === end ? close : -1;
}

/** From just after the opening quote to just after the closing one; -1 when not a JSON string. */
function string(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = b[p++]!;
    if (c === QUOTE) return p;
    if (c === 0x5c) {
      if (p >= end) return -1;
      const d = b[p++];
      if (d === 0x75) {
        if (p + 4 > end || !hex(b[p]!) || !hex(b[p + 1]!) || !hex(b[p + 2]!) || !hex(b[p + 3]!)) return -1;
        p += 4;
      } else if (d !== QUOTE && d !== 0x5c && d !== 0x2f && d !== 0x62 && d !== 0x66 && d !== 0x6e && d !== 0x72 && d !== 0x74) return -1;
    } else if (c < 0x20) return -1;
  }
  return -1;
}

function hex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? from p; the index after it, or -1. */
function number(b: Uint8Array, p: number, end: number): number {
  if (b[p] === 0x2d) p++;
  if (p >= end) return -1;
  const c = b[p]!;
  if (c === 0x30) p++;
  else if (c >= 0x31 && c <= 0x39) p = digits(b, p + 1, end);
  else return -1;
  if (p < end && b[p] === 0x2e) {
    const from = p + 1;
    p = digits(b, from, end);
    if (p === from) return -1;
  }
  if (p < end && (b[p] === 0x65 || b[p] === 0x45)) {
    p++;
    if (p < end && (b[p] === 0x2b || b[p] === 0x2d)) p++;
    const from = p;
    p = digits(b, from, end);
    if (p === from) return -1;
  }
  return p;
}

function digits(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = b[p]!;
    if (c < 0x30 || c > 0x39) break;
    p++;
  }
  return p;
}
