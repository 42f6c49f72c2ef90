import type { ConfiguredAirbyteStream } from '../../protocol/index.js';
import type { InputMessage } from '../sdk/index.js';
import { airbyteColumns, dataJson, dataOf, schemaColumns } from './airbyte-columns.js';
import type { LineBuffer } from '../sdk/line-buffer.js';

/** Turns records into the text of one object. `header` starts every object. */
export interface TextFormat {
  header(): string;
  /** Appends the record's line. */
  write(m: InputMessage, out: LineBuffer): void;
}

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * JSON lines as destination-s3 1.x writes them: `_airbyte_raw_id`, `_airbyte_extracted_at` (epoch
 * ms), `_airbyte_meta` ({sync_id, changes}), `_airbyte_generation_id`, then `_airbyte_data`, or with
 * root-level flattening the record's own fields at the top level.
 */
export function jsonlFormat(s: ConfiguredAirbyteStream, flatten: boolean): TextFormat {
  const noChanges = JSON.stringify({ sync_id: s.sync_id ?? 0, changes: [] });
  return {
    header: () => '',
    write(m, out) {
      const a = airbyteColumns(m, s);
      const meta = a.meta.changes.length === 0 ? noChanges : JSON.stringify(a.meta);
      out.text(`{"_airbyte_raw_id":"${a.rawId}","_airbyte_extracted_at":${a.extractedAt},"_airbyte_meta":${meta},"_airbyte_generation_id":${a.generationId}${flatten ? '' : ',"_airbyte_data":'}`);
      const env = m.record;
      if (!env) {
        const data = dataJson(m).trim();
        const fields = flatten ? data.slice(1, -1).trim() : data;
        out.text(flatten && fields ? `,${fields}}\n` : `${fields}}\n`);
        return;
      }
      // `data` is copied from the input line as is: its bytes are never decoded nor re-encoded
      let [start, end] = env.dataRange;
      if (flatten) {
        // the object's members, without its braces and the blanks inside them
        start++; end--;
        while (start < end && isSpace(m.raw[start]!)) start++;
        while (end > start && isSpace(m.raw[end - 1]!)) end--;
        if (start < end) out.text(',');
      }
      out.bytes(m.raw, start, end);
      out.text('}\n');
    },
  };
}

/**
 * CSV as destination-s3 1.x writes it (Apache Commons CSV defaults: minimal quoting, CRLF): a header,
 * the four Airbyte columns, then `_airbyte_data` as JSON or, flattened, one column per top-level
 * schema property (objects and arrays as JSON, nulls empty).
 */
export function csvFormat(s: ConfiguredAirbyteStream, flatten: boolean): TextFormat {
  const columns = flatten ? schemaColumns(s) : ['_airbyte_data'];
  const header = ['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_meta', '_airbyte_generation_id', ...columns];
  return {
    header: () => csvLine(header),
    write(m, out) {
      const a = airbyteColumns(m, s);
      const cells: string[] = [a.rawId, String(a.extractedAt), JSON.stringify(a.meta), String(a.generationId)];
      if (flatten) { const data = dataOf(m); for (const c of columns) cells.push(cell(data[c])); }
      else cells.push(dataJson(m));
      out.text(csvLine(cells));
    },
  };
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One CSV record, CRLF-terminated, quoting only what needs it (Commons CSV's MINIMAL policy: a
 * delimiter, quote or line break inside, or surrounding whitespace). Hand-written: it runs once per
 * record, and csv-stringify's synchronous API normalises its options on every call.
 */
function csvLine(cells: readonly string[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (i > 0) out += ',';
    out += NEEDS_QUOTES.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
  }
  return `${out}\r\n`;
}
