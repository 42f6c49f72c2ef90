import { RecordFields, classifyLine, scanRecordFields, type ConfiguredAirbyteStream } from '../../protocol/index.js';
import { RUN_FIELDS, RunField, type InputMessage, type RecordRun } from '../sdk/index.js';
import { airbyteColumns, dataJson, dataOf, schemaColumns } from './airbyte-columns.js';
import type { LineBuffer } from '../sdk/line-buffer.js';
import { UuidWriter } from './uuid-writer.js';

/** Turns records into the text of one object. `header` starts every object. */
export interface TextFormat {
  header(): string;
  /** Appends the record's line. */
  write(m: InputMessage, out: LineBuffer): void;
  /** Appends the lines of a run of RECORD lines (see RecordRun), when the format takes runs. */
  writeRun?(run: RecordRun, out: LineBuffer): void;
}

// Every line of a RecordRun starts so: the record object's `{` is the last byte.
const RECORD_OPEN = '{"type":"RECORD","record":{'.length - 1;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * JSON lines as destination-s3 1.x writes them: `_airbyte_raw_id`, `_airbyte_extracted_at` (epoch
 * ms), `_airbyte_meta` ({sync_id, changes}), `_airbyte_generation_id`, then `_airbyte_data`, or with
 * root-level flattening the record's own fields at the top level.
 */
export function jsonlFormat(s: ConfiguredAirbyteStream, flatten: boolean): TextFormat {
  const noChanges = JSON.stringify({ sync_id: s.sync_id ?? 0, changes: [] });
  // The line around the raw id, extracted-at and data, for a record without meta changes.
  const head = Buffer.from('{"_airbyte_raw_id":"');
  const afterId = Buffer.from('","_airbyte_extracted_at":');
  const afterExtracted = Buffer.from(`,"_airbyte_meta":${noChanges},"_airbyte_generation_id":${s.generation_id ?? 0}${flatten ? '' : ',"_airbyte_data":'}`);
  const fixed = head.length + 36 + afterId.length + afterExtracted.length + 3;
  const uuids = new UuidWriter();
  const f = new RecordFields();
  const format: TextFormat = {
    header: () => '',
    /**
     * The lines of a run, written into the chunk without an object, string or promise per record:
     * the destination's JSON lines path (measured in bench/RESULTS.md, S3 connectors). A line with
     * meta changes or an extracted-at that is not plain digits takes `write`.
     */
    writeRun(run, out) {
      const b = run.bytes;
      const fields = run.fields;
      let line = 0;
      for (let i = 0; i < run.count; i++) {
        // where the fields are: as the run reader found them, else scanned here
        let ds: number, de: number, es: number, ee: number, ms: number;
        if (fields) {
          const k = i * RUN_FIELDS;
          line = fields[k + RunField.LINE]!;
          ds = fields[k + RunField.DATA_START]!;
          de = fields[k + RunField.DATA_END]!;
          es = fields[k + RunField.EMITTED_AT_START]!;
          ee = fields[k + RunField.EMITTED_AT_END]!;
          ms = fields[k + RunField.META_START]!;
        } else {
          scanRecordFields(b, line + RECORD_OPEN, f);
          ds = f.dataStart; de = f.dataEnd; es = f.emittedAtStart; ee = f.emittedAtEnd; ms = f.metaStart;
        }
        if (ms !== -1 || !plainDigits(b, es, ee)) {
          const nl = b.indexOf(0x0a, de);
          const m = classifyLine(b.subarray(line, nl), 0, { validate: 'envelope' });
          if (m.kind === 'message') format.write(m, out);
          line = nl + 1;
          continue;
        }
        if (flatten) {
          ds++; de--;
          while (ds < de && isSpace(b[ds]!)) ds++;
          while (de > ds && isSpace(b[de - 1]!)) de--;
        }
        const chunk = out.reserve(fixed + (ee - es) + (de - ds));
        let p = out.length;
        chunk.set(head, p);
        p = uuids.write(chunk, p + head.length);
        chunk.set(afterId, p);
        p += afterId.length;
        for (let k = es; k < ee; k++) chunk[p++] = b[k]!;
        chunk.set(afterExtracted, p);
        p += afterExtracted.length;
        if (flatten && ds < de) chunk[p++] = 0x2c;
        p += b.copy(chunk, p, ds, de);
        chunk[p++] = 0x7d;
        chunk[p++] = 0x0a;
        out.advance(p - out.length);
        if (!fields) line = f.end + 2; // the message's `}` and the newline
      }
    },
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
  return format;
}

/** A non-negative integer as JSON writes it (no leading zero): copied as is for extracted-at. */
function plainDigits(b: Buffer, start: number, end: number): boolean {
  let i = start;
  if (i >= end || (b[i] === 0x30 && end - i > 1)) return false;
  for (; i < end; i++) if (b[i]! < 0x30 || b[i]! > 0x39) return false;
  return true;
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
