import { availableParallelism } from 'node:os';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigValidationError, FileFormatError, isAirdockError, type AirbyteStream, type ConfiguredAirbyteStream } from '../../protocol/index.js';
import { defineSource, type Emitter } from '../sdk/index.js';
import { createS3Client } from '../sdk/s3/s3-client.js';
import { FileCursor, formatModified, type FileCursorState } from './file-cursor.js';
import { formatReader } from './format-reader.js';
import { fillNulls, mergeProperties, parseInputSchema, conformsToSchema, type Properties } from './json-schema-types.js';
import { objectBytes } from './object-bytes.js';
import { JsonlSpans } from './jsonl-reader.js';
import { RawJson, type Row } from './raw-json.js';
import { RecordLines } from './record-lines.js';
import { listFiles, type RemoteFile } from './object-listing.js';
import { DEFAULT_GLOBS, type SourceS3Config, type StreamConfig } from './source-config.js';
import { configValidator } from './config-validator.js';
import { spec } from './spec.js';

const LAST_MODIFIED = '_ab_source_file_last_modified';
const FILE_URL = '_ab_source_file_url';
/** The official discovery reads at most this many (newest) files per stream. */
const MAX_FILES_FOR_INFERENCE = 10;

function client(c: SourceS3Config): S3Client {
  return createS3Client({
    accessKeyId: c.aws_access_key_id, secretAccessKey: c.aws_secret_access_key, roleArn: c.role_arn,
    endpoint: c.endpoint, region: c.region_name, pathStyle: c.path_style_access, checksums: c.checksum_mode,
  });
}

const startDate = (c: SourceS3Config) => (c.start_date ? new Date(c.start_date) : undefined);

function files(s3: S3Client, c: SourceS3Config, s: StreamConfig, signal?: AbortSignal): AsyncGenerator<RemoteFile> {
  return listFiles(s3, c.bucket, s.globs?.length ? s.globs : DEFAULT_GLOBS, { legacyPrefix: s.legacy_prefix, startDate: startDate(c), signal });
}

async function inferProperties(s3: S3Client, c: SourceS3Config, s: StreamConfig, signal: AbortSignal): Promise<Properties> {
  if (s.input_schema) {
    try {
      return parseInputSchema(s.input_schema);
    } catch (cause) {
      throw new ConfigValidationError([{ path: '/streams/input_schema', message: 'must be a JSON object of column name to type name' }], { cause });
    }
  }
  if (s.schemaless) return { data: { type: 'object' } };
  const all: RemoteFile[] = [];
  for await (const f of files(s3, c, s, signal)) all.push(f);
  if (all.length === 0) return { data: { type: 'object' } };
  const n = Math.min(s.recent_n_files_to_read_for_schema_discovery ?? MAX_FILES_FOR_INFERENCE, MAX_FILES_FOR_INFERENCE);
  const newest = all.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime()).slice(0, n);
  const reader = formatReader(s.format);
  let props: Properties = {};
  for (const f of newest) {
    try {
      props = mergeProperties(props, await reader.inferSchema(await objectBytes(s3, c.bucket, f.uri, signal), f.uri));
    } catch (cause) {
      if (isAirdockError(cause)) throw cause;
      throw new FileFormatError('A file could not be parsed to infer the schema', { cause, context: { stream: s.name, file: f.uri, filetype: s.format.filetype } });
    }
  }
  return fillNulls(props);
}

function streamOf(s: StreamConfig, props: Properties): AirbyteStream {
  return {
    name: s.name,
    json_schema: { type: 'object', properties: { [LAST_MODIFIED]: { type: 'string' }, [FILE_URL]: { type: 'string' }, ...props } },
    supported_sync_modes: ['full_refresh', 'incremental'],
    source_defined_cursor: true,
    default_cursor_field: [LAST_MODIFIED],
    ...(s.primary_key ? { source_defined_primary_key: [[s.primary_key]] } : {}),
    is_resumable: true,
  };
}

/**
 * Drop-in for Airbyte's source-s3 4.x (file-based CDK): the same config, streams, columns
 * (`_ab_source_file_last_modified`, `_ab_source_file_url`) and incremental state (file history),
 * reading several objects at once, each as a stream.
 */
export const sourceS3 = defineSource<SourceS3Config>({
  spec,
  configValidator,
  async check(config, { signal }) {
    const s3 = client(config);
    try {
      for (const s of config.streams) {
        const reader = formatReader(s.format);
        for await (const f of files(s3, config, s, signal)) {
          // like the official check: the first file of each stream must yield a record (or be empty)
          for await (const _ of reader.records(await objectBytes(s3, config.bucket, f.uri, signal), f.uri, undefined, () => {})) break;
          break;
        }
      }
    } finally {
      s3.destroy();
    }
  },
  async discover(config, { signal }) {
    const s3 = client(config);
    try {
      const streams: AirbyteStream[] = [];
      for (const s of config.streams) streams.push(streamOf(s, await inferProperties(s3, config, s, signal)));
      return { streams };
    } finally {
      s3.destroy();
    }
  },
  async read(config, catalog, state, { emit, signal }) {
    const s3 = client(config);
    const errors: FileFormatError[] = [];
    try {
      for (const configured of catalog.streams) {
        const s = config.streams.find((x) => x.name === configured.stream.name);
        if (!s) continue;
        await emit.streamStatus(s.name, 'STARTED');
        await readStream(s3, config, s, configured, state.get<FileCursorState>(s.name), emit, signal, errors);
        await emit.streamStatus(s.name, 'COMPLETE');
      }
    } finally {
      s3.destroy();
    }
    if (errors.length > 0) {
      const first = errors[0]!;
      throw new FileFormatError('Some files could not be parsed; the others were read', { cause: first, context: { files: errors.length, ...first.context } });
    }
  },
});

async function readStream(s3: S3Client, c: SourceS3Config, s: StreamConfig, configured: ConfiguredAirbyteStream, prev: FileCursorState | undefined, emit: Emitter, signal: AbortSignal, errors: FileFormatError[]): Promise<void> {
  const incremental = configured.sync_mode === 'incremental';
  const cursor = new FileCursor(incremental ? prev : undefined, s.days_to_sync_if_history_is_full ?? 3);
  if (incremental && cursor.historyIsFull) await emit.log('WARN', `The state history of stream ${s.name} is full (10,000 files); files older than the time window are skipped`);
  const todo: RemoteFile[] = [];
  for await (const f of files(s3, c, s, signal)) if (cursor.shouldSync(f)) todo.push(f);
  todo.sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime() || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  cursor.setPending(todo);
  const props = (configured.stream.json_schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  const dataProps = props ? Object.fromEntries(Object.entries(props).filter(([k]) => k !== LAST_MODIFIED && k !== FILE_URL)) : undefined;
  const policy = s.validation_policy ?? 'Emit Record';
  const reader = formatReader(s.format);
  // records emitted as read, nothing checked or reshaped in them
  const asIs = !s.schemaless && (policy === 'Emit Record' || !dataProps);
  let stopped = false;

  const readOne = async (f: RemoteFile): Promise<void> => {
    const modified = formatModified(f.lastModified);
    const suffix = `,${JSON.stringify(LAST_MODIFIED)}:${JSON.stringify(modified)},${JSON.stringify(FILE_URL)}:${JSON.stringify(f.uri)}}`;
    let skipped = 0;
    let line = 0;
    const warned = new Set<string>();
    const warn = (column: string, type: string) => { if (!warned.has(column)) { warned.add(column); void emit.log('WARN', `Could not cast a value to ${type}: stream=${s.name} file=${f.uri} column=${column}`); } };
    // false: the validation policy stops the sync
    const emitRow = async (row: Row): Promise<boolean> => {
      let json: string;
      // the fast path: a row already in JSON is emitted as is when nothing needs to look inside it
      // (the official connector leaves top-level nulls out of a record: a line holding `null` is parsed)
      if (row instanceof RawJson && asIs && !row.json.includes('null')) json = row.json;
      else {
        const record = withoutNulls(row instanceof RawJson ? row.parse() : row);
        if (s.schemaless) json = JSON.stringify({ data: record });
        else if (dataProps && policy !== 'Emit Record' && !conformsToSchema(record, dataProps)) {
          if (policy === 'Skip Record') { skipped++; return true; }
          stopped = true;
          await emit.log('WARN', `Stopping sync in accordance with the configured validation policy. Records in file did not conform to the schema. stream=${s.name} file=${f.uri} validation_policy=${policy}`);
          return false;
        } else json = JSON.stringify(record);
      }
      // the two file columns go last, as the official connector appends them
      const body = json.slice(0, json.lastIndexOf('}')).trimEnd();
      const w = emit.recordLine(s.name, body === '{' ? `{${suffix.slice(1)}` : body + suffix);
      if (w) await w;
      return true;
    };
    try {
      const bytes = await objectBytes(s3, c.bucket, f.uri, signal);
      if (asIs && reader.batches) {
        const lines = new RecordLines(s.name, suffix.slice(0, -1));
        for await (const item of reader.batches(bytes)) {
          if (stopped) return;
          if (item instanceof JsonlSpans) {
            line += item.count;
            const w = emit.recordBytes(s.name, lines.encode(item), item.count);
            if (w) await w;
          } else {
            line++;
            if (!(await emitRow(item))) return;
          }
        }
      } else {
        for await (const row of reader.records(bytes, f.uri, dataProps, warn)) {
          line++;
          if (stopped) return;
          if (!(await emitRow(row))) return;
        }
      }
      if (skipped > 0) await emit.log('WARN', `Records in file did not pass validation policy. stream=${s.name} file=${f.uri} n_skipped=${skipped} validation_policy=${policy}`);
      cursor.add(f);
      if (incremental) await emit.streamState(s.name, cursor.state());
    } catch (cause) {
      if (signal.aborted || (isAirdockError(cause) && !(cause instanceof FileFormatError))) throw cause;
      const e = new FileFormatError('A file could not be parsed', { cause, context: { stream: s.name, file: f.uri, line, filetype: s.format.filetype } });
      errors.push(e);
      await emit.log('ERROR', `Error parsing record. stream=${s.name} file=${f.uri} line_no=${line} n_skipped=${skipped}: ${(cause as Error)?.message ?? String(cause)}`);
    }
  };

  // Several objects at once: a file's records interleave with others', and a STATE follows each
  // finished file. The history names only finished files, so a resumed sync rereads unfinished ones.
  const parallelism = c.parallelism ?? Math.min(8, Math.max(2, availableParallelism()));
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !stopped) {
      signal.throwIfAborted();
      await readOne(todo[next++]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, todo.length) }, worker));
  if (!incremental) await emit.streamState(s.name, { __ab_no_cursor_state_message: true });
  else if (todo.length === 0) await emit.streamState(s.name, cursor.state());
}

/** The record without its top-level null values, as the official connector serialises records (nested nulls stay). */
function withoutNulls(r: Record<string, unknown>): Record<string, unknown> {
  for (const k in r) if (r[k] === null || r[k] === undefined) { const out: Record<string, unknown> = {}; for (const [key, v] of Object.entries(r)) if (v !== null && v !== undefined) out[key] = v; return out; }
  return r;
}
