import type { ConfiguredAirbyteStream } from '../../protocol/index.js';
import type { InputMessage } from '../sdk/index.js';
import { airbyteColumns, dataJson, dataOf, schemaColumns } from './airbyte-columns.js';

/** Turns records into the text of one object. `header` starts every object. */
export interface TextFormat {
  header(): string;
  line(m: InputMessage): string;
}

/**
 * JSON lines as destination-s3 1.x writes them: `_airbyte_raw_id`, `_airbyte_extracted_at` (epoch
 * ms), `_airbyte_meta` ({sync_id, changes}), `_airbyte_generation_id`, then `_airbyte_data`, or with
 * root-level flattening the record's own fields at the top level.
 */
export function jsonlFormat(s: ConfiguredAirbyteStream, flatten: boolean): TextFormat {
  return {
    header: () => '',
    line(m) {
      const a = airbyteColumns(m, s);
      const head = `{"_airbyte_raw_id":"${a.rawId}","_airbyte_extracted_at":${a.extractedAt},"_airbyte_meta":${JSON.stringify(a.meta)},"_airbyte_generation_id":${a.generationId}`;
      const data = dataJson(m).trim();
      if (!flatten) return `${head},"_airbyte_data":${data}}\n`;
      const fields = data.slice(1, -1).trim();
      return fields ? `${head},${fields}}\n` : `${head}}\n`;
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
    line(m) {
      const a = airbyteColumns(m, s);
      const cells: string[] = [a.rawId, String(a.extractedAt), JSON.stringify(a.meta), String(a.generationId)];
      if (flatten) { const data = dataOf(m); for (const c of columns) cells.push(cell(data[c])); }
      else cells.push(dataJson(m));
      return csvLine(cells);
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
