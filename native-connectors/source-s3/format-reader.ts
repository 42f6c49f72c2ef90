import { ConfigValidationError } from '../../protocol/index.js';
import { csvCaster, csvRows, inferCsvSchema } from './csv-reader.js';
import type { Properties } from './json-schema-types.js';
import { inferJsonlSchema, jsonlRecords } from './jsonl-reader.js';
import type { FileFormat } from './source-config.js';

/** What each file type offers the stream: schema inference from one file, and its records. */
export interface FormatReader {
  inferSchema(bytes: AsyncIterable<Buffer>): Promise<Properties>;
  records(bytes: AsyncIterable<Buffer>, catalogProperties: Record<string, { type?: unknown }> | undefined, warn: (column: string, type: string) => void): AsyncIterable<Record<string, unknown>>;
}

export function formatReader(format: FileFormat): FormatReader {
  switch (format.filetype) {
    case 'csv':
      return {
        inferSchema: (bytes) => inferCsvSchema(bytes, format),
        async *records(bytes, props, warn) {
          const cast = csvCaster(props, format, warn);
          for await (const row of csvRows(bytes, format)) yield cast(row);
        },
      };
    case 'jsonl':
      return {
        inferSchema: inferJsonlSchema,
        async *records(bytes) { for await (const r of jsonlRecords(bytes)) yield r.value; },
      };
    default:
      throw new ConfigValidationError([{ path: '/streams/format/filetype', message: `${format.filetype} files are not supported by native:source-s3 yet` }]);
  }
}
