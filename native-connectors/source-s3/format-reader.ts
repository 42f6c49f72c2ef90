import { ConfigValidationError } from '../../protocol/index.js';
import { csvCaster, csvRows, inferCsvSchema } from './csv-reader.js';
import type { Properties } from './json-schema-types.js';
import { inferJsonlSchema, jsonlBatches, jsonlRecords, type JsonlSpans } from './jsonl-reader.js';
import { RawJson, type Row } from './raw-json.js';
import type { FileFormat } from './source-config.js';

/** What each file type offers the stream: schema inference from one file, and its records. */
export interface FormatReader {
  inferSchema(bytes: AsyncIterable<Buffer>, key: string): Promise<Properties>;
  records(bytes: AsyncIterable<Buffer>, key: string, catalogProperties: Record<string, { type?: unknown }> | undefined, warn: (column: string, type: string) => void): AsyncIterable<Row>;
  /**
   * The records again, where lines that can be emitted as they are come as byte spans (JSON lines):
   * for a stream whose records are emitted unchanged (no validation policy to apply, not schemaless).
   */
  batches?(bytes: AsyncIterable<Buffer>): AsyncIterable<JsonlSpans | Row>;
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
        batches: jsonlBatches,
      };
    // Parquet (DuckDB) and Avro (avsc) are loaded when a stream reads them: DuckDB alone adds
    // 0.15-0.4 s to every start of the connector otherwise.
    case 'parquet':
      return {
        inferSchema: async (bytes, key) => (await import('./parquet-reader.js')).inferParquetSchema(bytes, key, format),
        async *records(bytes, key) { yield* (await import('./parquet-reader.js')).parquetRows(bytes, key, format); },
      };
    case 'avro':
      return {
        inferSchema: async (bytes) => (await import('./avro-reader.js')).inferAvroSchema(bytes, format),
        async *records(bytes) { yield* (await import('./avro-reader.js')).avroRecords(bytes, format); },
      };
    default:
      throw new ConfigValidationError([{ path: '/streams/format/filetype', message: `${format.filetype} files are not supported by native:source-s3` }]);
  }
}
