import { parseJson } from '../../../protocol/index.js';

/** Digit runs that a double cannot hold exactly, and exponents beyond its range. */
const RISKY_NUMBER = /\d{16}|[eE][+-]?\d{3}/;

/**
 * Parses a record's `data` text for a destination that types values itself: JSON.parse normally
 * (fast), the lossless parser when the text holds a number a double would round (16+ digits,
 * large exponents), so BIGINT and DECIMAL columns get the exact value. `lossless` says which.
 */
export function parseRecordData(text: string): { data: Record<string, unknown>; lossless: boolean } {
  if (RISKY_NUMBER.test(text)) return { data: parseJson(text) as Record<string, unknown>, lossless: true };
  return { data: JSON.parse(text) as Record<string, unknown>, lossless: false };
}
