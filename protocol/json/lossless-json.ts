import { isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/**
 * JSON that keeps numbers exact. `JSON.parse` turns 12345678901234567890 into 12345678901234567000,
 * and state blobs (LSNs, offsets, cursors) are exactly where that corrupts a sync. Safe numbers
 * become plain numbers; unsafe ones stay LosslessNumber and are written back with their original text.
 */
export function parseJson(text: string): unknown {
  return parse(text, null, parseNumber);
}

export function stringifyJson(value: unknown): string {
  const out = stringify(value);
  if (out === undefined) throw new TypeError('value cannot be serialised as JSON');
  return out;
}

function parseNumber(text: string): number | LosslessNumber {
  return isSafeNumber(text) ? Number(text) : new LosslessNumber(text);
}

export { LosslessNumber, isSafeNumber };
