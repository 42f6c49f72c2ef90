import { coerceValue, type LogicalType } from '../sdk/sql/index.js';

/**
 * A row's typed columns as COPY text values, each after a `\t`, the exact way: from the parsed
 * `data` (parseRecordData; `lossless` as it says), through coerceValue for anything that is not
 * plainly its column's type. A value that does not fit is null and its change returned, for
 * `_airbyte_meta.changes`. CopyRowEncoder writes the same bytes straight from the JSON for the
 * rows it takes; this is the reference it is tested against.
 */
export function copyValues(columns: readonly { field: string; type: LogicalType }[], data: Record<string, unknown>, lossless: boolean): { values: string; changes?: unknown[] } {
  let values = '';
  let changes: unknown[] | undefined;
  for (const c of columns) {
    const v = data[c.field];
    // Own keys only: a column named `constructor` or `__proto__` is not the object's prototype.
    if (v === null || v === undefined || !Object.hasOwn(data, c.field)) { values += '\t\\N'; continue; }
    const plain = plainText(c.type, v);
    if (plain !== undefined) { values += `\t${plain}`; continue; }
    const r = coerceValue(c.type, v, lossless);
    if (r.change) (changes ??= []).push({ field: c.field, ...r.change });
    values += r.text === null ? '\t\\N' : `\t${copyText(r.text)}`;
  }
  return changes ? { values, changes } : { values };
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Strings without a character COPY text escapes, or that coerceValue removes (NUL, and `\\u0000` in JSON text). */
const PLAIN_STRING = /^[^\\\n\r\t\u0000]*$/;

/**
 * The common values as COPY text without going through coerceValue (same result, no allocation):
 * plain strings, safe integers, finite numbers, booleans. Anything else (dates, JSON, a value that
 * may not fit, a string to escape) returns undefined and takes the general path.
 */
function plainText(type: LogicalType, v: unknown): string | undefined {
  switch (type) {
    case 'string': return typeof v === 'string' && PLAIN_STRING.test(v) ? v : undefined;
    case 'integer': return typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined;
    case 'number': return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
    case 'boolean': return v === true ? 't' : v === false ? 'f' : undefined;
    default: return undefined;
  }
}

/** A value in COPY's text format. */
export function copyText(s: string): string {
  return COPY_SPECIAL.test(s) ? s.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!) : s;
}
