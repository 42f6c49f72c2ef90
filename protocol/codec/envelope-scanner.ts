/**
 * A structural scanner for one JSON object line. It finds where top-level (and nested) values
 * start and end without building them, so the runtime can learn a RECORD's type, stream and
 * namespace while treating `data` as opaque bytes. That is most of the cost of a relay: parsing
 * and re-serialising every record is what held the Airbyte platform's JSON path at ~23 MB/s.
 *
 * It checks structure (strings, nesting, separators), not literal tokens inside skipped values:
 * `{"a":tru}` inside `data` is not detected here. Full validation is `classifyLine(..., {validate: 'full'})`.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * Called for each key of an object: key bytes are [keyStart, keyEnd) without quotes and the value
 * starts at valueStart. Return the index after the value if the visitor consumed it itself (so a
 * nested object is scanned once, not skipped and then scanned again), or -1 to let the scanner skip it.
 */
export type KeyVisitor = (keyStart: number, keyEnd: number, valueStart: number) => number;

export function skipWhitespace(b: Buffer, i: number): number {
  while (i < b.length) {
    const c = b[i];
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else break;
  }
  return i;
}

/**
 * `i` is at an opening quote; returns the index after the closing quote, or -1.
 * Short strings (most keys and values) are walked in JS: a native `indexOf` call per string costs
 * more than the walk. Past 64 bytes we switch to `indexOf`, and a quote counts as closing when an
 * even number of backslashes precedes it.
 */
export function skipString(b: Buffer, i: number): number {
  const len = b.length;
  let j = i + 1;
  const fastEnd = Math.min(len, j + 64);
  for (; j < fastEnd; j++) {
    const c = b[j];
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) j++;
  }
  for (;;) {
    if (j >= len) return -1;
    const q = b.indexOf(QUOTE, j);
    if (q === -1) return -1;
    let k = q - 1;
    let slashes = 0;
    while (k > i && b[k] === BACKSLASH) {
      slashes++;
      k--;
    }
    if ((slashes & 1) === 0) return q + 1;
    j = q + 1;
  }
}

const IS_QUOTE = 1;
const IS_OPEN = 2;
const IS_CLOSE = 3;
const STRUCTURAL = new Uint8Array(256);
STRUCTURAL[QUOTE] = IS_QUOTE;
STRUCTURAL[LBRACE] = IS_OPEN;
STRUCTURAL[LBRACKET] = IS_OPEN;
STRUCTURAL[RBRACE] = IS_CLOSE;
STRUCTURAL[RBRACKET] = IS_CLOSE;

/** Returns the index after the value starting at `i`, or -1 when it is not well formed. */
export function skipValue(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    const len = b.length;
    for (let j = i; j < len; j++) {
      // One table load decides for the common byte (letters, digits, commas): nothing to do.
      const kind = STRUCTURAL[b[j]!]!;
      if (kind === 0) continue;
      if (kind === IS_QUOTE) {
        // Inline walk of short strings (keys, most values); long ones go through skipString.
        let k = j + 1;
        const stop = k + 32 < len ? k + 32 : len;
        for (; k < stop; k++) {
          const ch = b[k];
          if (ch === QUOTE) break;
          if (ch === BACKSLASH) k++;
        }
        if (k < stop && b[k] === QUOTE) {
          j = k;
          continue;
        }
        const end = skipString(b, j);
        if (end === -1) return -1;
        j = end - 1;
      } else if (kind === IS_OPEN) {
        depth++;
      } else if (--depth === 0) {
        return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < b.length) {
    const d = b[j];
    if (d === COMMA || d === RBRACE || d === RBRACKET || d === 0x20 || d === 0x09 || d === 0x0a || d === 0x0d) break;
    j++;
  }
  return j > i ? j : -1;
}

/** Visits each key of the object starting at `i`; returns the index after it, or -1. */
export function scanObject(b: Buffer, i: number, visit: KeyVisitor): number {
  if (b[i] !== LBRACE) return -1;
  i = skipWhitespace(b, i + 1);
  if (b[i] === RBRACE) return i + 1;
  for (;;) {
    if (b[i] !== QUOTE) return -1;
    const keyEnd = skipString(b, i);
    if (keyEnd === -1) return -1;
    const ks = i + 1;
    const ke = keyEnd - 1;
    i = skipWhitespace(b, keyEnd);
    if (b[i] !== COLON) return -1;
    i = skipWhitespace(b, i + 1);
    const consumed = visit(ks, ke, i);
    const ve = consumed === -1 ? skipValue(b, i) : consumed;
    if (ve === -1) return -1;
    i = skipWhitespace(b, ve);
    if (b[i] === COMMA) {
      i = skipWhitespace(b, i + 1);
      continue;
    }
    if (b[i] === RBRACE) return i + 1;
    return -1;
  }
}

/** Compares buffer bytes [start, end) with an ASCII string, without decoding. */
export function bytesEqual(b: Buffer, start: number, end: number, ascii: string): boolean {
  if (end - start !== ascii.length) return false;
  for (let k = 0; k < ascii.length; k++) if (b[start + k] !== ascii.charCodeAt(k)) return false;
  return true;
}

/** Decodes the JSON string at [start, end) (quotes included). Escapes are rare: only then JSON.parse. */
export function readString(b: Buffer, start: number, end: number): string {
  if (b.indexOf(BACKSLASH, start) === -1 || b.indexOf(BACKSLASH, start) >= end) return b.toString('utf8', start + 1, end - 1);
  return JSON.parse(b.toString('utf8', start, end)) as string;
}

export const byteOf = { QUOTE, LBRACE, LBRACKET } as const;
