import { once } from 'node:events';
import type { S3Client } from '@aws-sdk/client-s3';
import avro from 'avsc';
import type { ConfiguredAirbyteStream } from '../../protocol/index.js';
import type { InputMessage } from '../sdk/index.js';
import { avroEncoders } from '../sdk/files/avro-codecs.js';
import { airbyteColumns, dataOf, type MetaChange } from './airbyte-columns.js';
import { avroSafeName, fieldsOf, fits, type ColumnType, type Field } from './column-types.js';
import type { AvroCodec } from './destination-config.js';
import type { RecordObject } from './record-object.js';
import { StreamingUpload, type StreamingUploadOptions } from './streaming-upload.js';

let recordNames = 0;
function avroType(t: ColumnType, name: string): unknown {
  switch (t.kind) {
    case 'boolean': return 'boolean';
    case 'integer': return 'long';
    case 'number': return 'double';
    case 'string': case 'json': return 'string';
    case 'date': return { type: 'int', logicalType: 'date' };
    case 'timestamptz': return { type: 'long', logicalType: 'timestamp-micros' };
    case 'timestamp': return { type: 'long', logicalType: 'local-timestamp-micros' };
    case 'time': return { type: 'long', logicalType: 'time-micros' };
    case 'object': return { type: 'record', name: `${avroSafeName(name)}_${++recordNames}`, fields: t.fields.map((f) => ({ name: f.safeName, type: ['null', avroType(f.type, f.name)], default: null })) };
    case 'array': return { type: 'array', items: ['null', avroType(t.items, name)] };
  }
}

/** The official Avro schema: the four Airbyte columns, then every top-level property as a nullable field. */
export function avroSchema(s: ConfiguredAirbyteStream, fields: Field[]): object {
  return {
    type: 'record',
    name: avroSafeName(s.stream.name),
    ...(s.stream.namespace ? { namespace: avroSafeName(s.stream.namespace) } : {}),
    fields: [
      { name: '_airbyte_raw_id', type: { type: 'string', logicalType: 'uuid' } },
      { name: '_airbyte_extracted_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: '_airbyte_meta', type: { type: 'record', name: 'airbyte_meta', fields: [
        { name: 'sync_id', type: 'long' },
        { name: 'changes', type: { type: 'array', items: { type: 'record', name: 'change', fields: [{ name: 'field', type: 'string' }, { name: 'change', type: 'string' }, { name: 'reason', type: 'string' }] } } },
      ] } },
      { name: '_airbyte_generation_id', type: 'long' },
      ...fields.map((f) => ({ name: f.safeName, type: ['null', avroType(f.type, f.name)], default: null })),
    ],
  };
}

/** A JSON value as the Avro field expects it (unions wrapped by branch name is not needed: avsc picks the branch). */
function avroValue(t: ColumnType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'integer': return typeof v === 'string' ? Number(v) : v;
    case 'number': return Number(v);
    case 'string': return String(v);
    case 'json': return JSON.stringify(v);
    case 'date': return Math.floor(Date.parse(`${String(v).slice(0, 10)}T00:00:00Z`) / 86_400_000);
    case 'timestamptz': case 'timestamp': return micros(String(v), t.kind === 'timestamp');
    case 'time': { const m = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?/.exec(String(v))!; return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1e6 + Math.round(Number(m[4] ?? 0) * 1e6); }
    case 'object': { const o = v as Record<string, unknown>; return Object.fromEntries(t.fields.map((f) => [f.safeName, fits(f.type, o[f.name]) ? avroValue(f.type, o[f.name]) : null])); }
    case 'array': return (v as unknown[]).map((x) => (fits(t.items, x) ? avroValue(t.items, x) : null));
    default: return v;
  }
}

/** Microseconds since the epoch of an ISO timestamp (a local one is taken as UTC, as Avro's local-timestamp is). */
function micros(s: string, local: boolean): number {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(s.trim().replace(' ', 'T'))!;
  const seconds = Date.parse(`${m[1]}${local ? 'Z' : (m[3] ?? 'Z')}`);
  return seconds * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

/** An Avro container object (avsc), encoded block by block into a streaming upload. */
export class AvroObject implements RecordObject {
  bytes = 0;
  readonly #encoder: avro.streams.BlockEncoder;
  readonly #upload: StreamingUpload;
  readonly #fields: Field[];
  #pumping: Promise<void> = Promise.resolve();

  constructor(s3: S3Client, bucket: string, readonly key: string, private readonly stream: ConfiguredAirbyteStream, codec: { codec: AvroCodec; level?: number }, upload: StreamingUploadOptions) {
    this.#fields = fieldsOf(stream.stream.json_schema);
    this.#upload = new StreamingUpload(s3, bucket, key, upload);
    this.#encoder = new avro.streams.BlockEncoder(avroSchema(stream, this.#fields) as avro.Schema, { codec: codec.codec, codecs: avroEncoders(codec.level) } as never);
    this.#encoder.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      const w = this.#upload.write(chunk);
      if (w) { this.#encoder.pause(); this.#pumping = w.then(() => { this.#encoder.resume(); }); }
    });
  }

  write(m: InputMessage): Promise<void> | undefined {
    const a = airbyteColumns(m, this.stream);
    const data = dataOf(m);
    let changes: MetaChange[] | undefined;
    const value: Record<string, unknown> = { _airbyte_raw_id: a.rawId, _airbyte_extracted_at: a.extractedAt, _airbyte_meta: a.meta, _airbyte_generation_id: a.generationId };
    for (const f of this.#fields) {
      const v = data[f.name];
      if (v !== null && v !== undefined && !fits(f.type, v)) { (changes ??= [...a.meta.changes]).push({ field: f.name, change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' }); value[f.safeName] = null; continue; }
      value[f.safeName] = avroValue(f.type, v);
    }
    if (changes) value._airbyte_meta = { ...a.meta, changes };
    if (this.#encoder.write(value)) return undefined;
    return once(this.#encoder, 'drain').then(() => {});
  }

  async finish(): Promise<void> {
    const ended = once(this.#encoder, 'end');
    this.#encoder.end();
    await ended;
    await this.#pumping;
    await this.#upload.finish();
  }

  async abort(): Promise<void> {
    this.#encoder.destroy();
    await this.#upload.abort();
  }
}
