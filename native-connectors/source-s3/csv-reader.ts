import { parse } from 'csv-parse';
import type { CsvFormat } from './source-config.js';
import type { Properties } from './json-schema-types.js';
import { decodeText } from './text-decoding.js';

const DEFAULT_TRUE = ['y', 'yes', 't', 'true', 'on', '1'];
const DEFAULT_FALSE = ['n', 'no', 'f', 'false', 'off', '0'];
const INFER_BYTES = 1_000_000;

/** A row that has more or fewer cells than the header (the official RecordParseError). */
export class CsvRowMismatch extends Error {}

/**
 * Rows of a CSV object as string maps, with every option of the official CSV format block: delimiter
 * (`\t` for tab), quote, escape or doubled quotes, encoding, rows skipped before and after the header,
 * a header from the file, generated (`f0`, `f1`, ...) or given. Empty lines are skipped, a leading
 * BOM is dropped, quoted fields may hold newlines.
 */
export async function* csvRows(bytes: AsyncIterable<Buffer>, f: CsvFormat): AsyncGenerator<Record<string, string>> {
  const quote = f.quote_char ?? '"';
  const parser = parse({
    delimiter: f.delimiter === '\\t' ? '\t' : (f.delimiter ?? ','),
    quote,
    escape: f.escape_char ? f.escape_char : (f.double_quote ?? true) ? quote : null,
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    from_line: (f.skip_rows_before_header ?? 0) + 1,
  });
  const feed = (async () => {
    try {
      for await (const text of decodeText(bytes, f.encoding || 'utf8')) {
        if (!parser.write(text)) await new Promise((r) => parser.once('drain', r));
      }
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  const kind = f.header_definition?.header_definition_type ?? 'From CSV';
  let headers: string[] | undefined = kind === 'User Provided' ? (f.header_definition?.column_names ?? []) : undefined;
  let toSkip = kind === 'User Provided' ? 0 : (f.skip_rows_after_header ?? 0);
  let headerPending = kind === 'From CSV';
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (headerPending) { headers = cells.map((h) => h.trim()); headerPending = false; continue; }
      if (toSkip > 0) { toSkip--; continue; }
      headers ??= cells.map((_, i) => `f${i}`);
      if (cells.length !== headers.length && !f.ignore_errors_on_fields_mismatch) {
        throw new CsvRowMismatch(cells.length > headers.length ? 'a row has more cells than the header' : 'a row has fewer cells than the header');
      }
      const row: Record<string, string> = {};
      for (let i = 0; i < headers.length; i++) row[headers[i]!] = cells[i] ?? '';
      yield row;
    }
  } finally {
    parser.destroy();
    await feed;
  }
}

/** The official CSV schema inference: strings, or with 'Primitive Types Only' the narrowest of boolean/integer/number/string. */
export async function inferCsvSchema(bytes: AsyncIterable<Buffer>, f: CsvFormat): Promise<Properties> {
  const values = new Map<string, Set<string>>();
  let read = 0;
  for await (const row of csvRows(bytes, f)) {
    for (const [k, v] of Object.entries(row)) {
      let s = values.get(k);
      if (!s) values.set(k, (s = new Set()));
      if (s.size < 10_000) s.add(v);
      read += v.length + 1;
    }
    if (read >= INFER_BYTES) break;
  }
  const infer = f.inference_type === 'Primitive Types Only';
  const out: Properties = {};
  for (const [k, vals] of values) out[k] = { type: infer ? inferType(vals, f) : 'string' };
  return out;
}

function inferType(values: Set<string>, f: CsvFormat): string {
  const trues = new Set(f.true_values ?? DEFAULT_TRUE), falses = new Set(f.false_values ?? DEFAULT_FALSE), nulls = new Set(f.null_values ?? []);
  let all = new Set(['boolean', 'integer', 'number', 'string']);
  let any = false;
  for (const v of values) {
    if (nulls.has(v)) continue;
    any = true;
    const t = new Set(['string']);
    if (trues.has(v) || falses.has(v)) t.add('boolean');
    if (isInteger(v)) { t.add('integer'); t.add('number'); } else if (isNumber(v)) t.add('number');
    all = new Set([...all].filter((x) => t.has(x)));
  }
  if (!any) return 'string';
  for (const t of ['boolean', 'integer', 'number']) if (all.has(t)) return t;
  return 'string';
}

const INT_RE = /^\s*[-+]?\d+(_\d+)*\s*$/;
const NUM_RE = /^\s*[-+]?((\d+(_\d+)*)?\.?\d+(_\d+)*([eE][-+]?\d+)?|inf(inity)?|nan)\s*$/i;
const isInteger = (v: string) => INT_RE.test(v);
const isNumber = (v: string) => NUM_RE.test(v) || /^\s*[-+]?\d+\.\s*$/.test(v);

/**
 * Casts a row's strings to the catalog's column types (the official `_cast_types` + `_to_nullable`):
 * values that do not cast stay strings and are reported through `warn`.
 */
export function csvCaster(properties: Record<string, { type?: unknown }> | undefined, f: CsvFormat, warn: (column: string, type: string) => void): (row: Record<string, string>) => Record<string, unknown> {
  const trues = new Set(f.true_values ?? DEFAULT_TRUE), falses = new Set(f.false_values ?? DEFAULT_FALSE), nulls = new Set(f.null_values ?? []);
  const stringsCanBeNull = f.strings_can_be_null ?? true;
  const types = new Map<string, string>();
  for (const [k, p] of Object.entries(properties ?? {})) {
    const t = [p.type].flat().filter((x) => x !== 'null' && x !== undefined) as string[];
    if (t.length === 1) types.set(k, t[0]!);
  }
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      const t = types.get(k);
      if (nulls.has(v) && (stringsCanBeNull || t !== 'string')) { out[k] = null; continue; }
      let cast: unknown = v;
      switch (t) {
        case 'null': cast = v === '' ? null : v; break;
        case 'boolean': if (trues.has(v)) cast = true; else if (falses.has(v)) cast = false; else warn(k, t); break;
        case 'integer': if (isInteger(v)) cast = Number(v.replace(/_/g, '')); else warn(k, t); break;
        case 'number': if (isNumber(v)) cast = Number(v.replace(/_/g, '')); else warn(k, t); break;
        case 'object': case 'array':
          try { const p = JSON.parse(v); if ((t === 'array') === Array.isArray(p) && typeof p === 'object' && p !== null) cast = p; else warn(k, t); } catch { warn(k, t); }
          break;
      }
      out[k] = cast;
    }
    return out;
  };
}
