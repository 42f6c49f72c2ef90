import { isLossless } from './canonical-json.js';

const DATEISH = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?/;
const DAY_MS = 86_400_000;

/**
 * Orders two cursor values as CAT does after parsing them: numbers as numbers, dates and timestamps
 * as instants (a value without a timezone is read as UTC), other strings as text. Negative: a < b.
 * `undefined` when the two cannot be compared (different kinds).
 */
export function compareCursor(a: unknown, b: unknown): number | undefined {
  const x = plain(a);
  const y = plain(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') {
    const tx = instant(x);
    const ty = instant(y);
    if (tx !== undefined && ty !== undefined) return tx - ty;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof x === 'number' && typeof y === 'string' && instant(y) !== undefined) return x - instant(y)!;
  if (typeof y === 'number' && typeof x === 'string' && instant(x) !== undefined) return instant(x)! - y;
  return undefined;
}

/** Whether `record` is not older than `state`, allowing `thresholdDays` (CAT's threshold_days) before it. */
export function notOlder(record: unknown, state: unknown, thresholdDays = 0): boolean {
  if (thresholdDays > 0) {
    const r = toInstant(record);
    const s = toInstant(state);
    if (r !== undefined && s !== undefined) return r >= s - thresholdDays * DAY_MS;
  }
  const c = compareCursor(record, state);
  return c === undefined || c >= 0;
}

function plain(v: unknown): unknown {
  return isLossless(v) ? Number(String(v)) : v;
}

// The file-based CDK's cursor: `<last modified>_<file uri>`; its order is the instant's (a file read
// again from that position carries the same instant).
const FILE_CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+(?:[zZ]|[+-]\d{2}:?\d{2}))_./;

function instant(s: string): number | undefined {
  if (!DATEISH.test(s)) return undefined;
  const iso = (FILE_CURSOR.exec(s)?.[1] ?? s).replace(' ', 'T');
  const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(iso) || iso.length === 10 ? iso : `${iso}Z`;
  const t = Date.parse(zoned);
  return Number.isNaN(t) ? undefined : t;
}

// CAT reads a number as a timestamp in milliseconds when a threshold applies.
function toInstant(v: unknown): number | undefined {
  const p = plain(v);
  if (typeof p === 'number') return p;
  return typeof p === 'string' ? instant(p) : undefined;
}
