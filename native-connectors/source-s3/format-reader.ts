import { ConfigValidationError } from '../../protocol/index.js';
import { avroRecords, inferAvroSchema } from './avro-reader.js';
import { csvCaster, csvRows, inferCsvSchema } from './csv-reader.js';
import type { Properties } from './json-schema-types.js';
import { inferJsonlSchema, jsonlRecords } from './jsonl-reader.js';
import { inferParquetSchema, parquetRows } from './parquet-reader.js';
import { RawJson, type Row } from './raw-json.js';
import type { FileFormat } from './source-config.js';

/** What each file type offers the stream: schema inference from one file, and its records. */
export interface FormatReader {
  inferSchema(bytes: AsyncIterable<Buffer>, key: string): Promise<Properties>;
  records(bytes: AsyncIterable<Buffer>, key: string, catalogProperties: Record<string, { type?: unknown }> | undefined, warn: (column: string, type: string) => void): AsyncIterable<Row>;
}

export function formatReader(format: FileFormat): FormatReader {
  switch (format.filetype) {
    case 'csv':
      return {
        inferSchema: (bytes) => inferCsvSchema(bytes, format),
        async *records(bytes, _key, props, warn) {
          const cast = csvCaster(props, format, warn);
          for await (const row of csvRows(bytes, format)) yield cast(row);
        },
      };
    case 'jsonl':
      return {
        inferSchema: (bytes) => inferJsonlSchema(bytes),
        // a line that is one JSON object is emitted as is, without parsing it a second time
        async *records(bytes) { for await (const r of jsonlRecords(bytes)) yield r.text.includes('\n') ? r.value : new RawJson(r.text.trim()); },
      };
    case 'parquet':
      return {
        inferSchema: (bytes, key) => inferParquetSchema(bytes, key, format),
        records: (bytes, key) => parquetRows(bytes, key, format),
      };
    case 'avro':
      return {
        inferSchema: (bytes) => inferAvroSchema(bytes, format),
        records: (bytes) => avroRecords(bytes, format),
      };
    default:
      throw new ConfigValidationError([{ path: '/streams/format/filetype', message: `${format.filetype} files are not supported by native:source-s3` }]);
  }
}
