import { parseJson } from '../../../protocol/index.js';

/**
 * A number token (after `:`, `,` or `[`) with 16 or more digits, or with a 3-digit exponent: what a
 * double may not hold exactly. Digits inside strings do not count (hex ids such as `3e123` made 40 %
 * of ordinary rows take the slow lossless parser); a string that happens to look like one only costs
 * the slow parse, never precision.
 */
const RISKY_NUMBER = /[:,[]\s*-?(?:\d[\d.]{15}|\d[\d.]*[eE][+-]?\d{3})/;

/**
 * Parses a record's `data` text for a destination that types values itself: JSON.parse normally
 * (fast), the lossless parser when the text holds a number a double would round (16+ digits,
 * large exponents), so BIGINT and DECIMAL columns get the exact value. `lossless` says which.
 */
export function parseRecordData(text: string): { data: Record<string, unknown>; lossless: boolean } {
  if (RISKY_NUMBER.test(text)) return { data: parseJson(text) as Record<string, unknown>, lossless: true };
  return { data: JSON.parse(text) as Record<string, unknown>, lossless: false };
}
