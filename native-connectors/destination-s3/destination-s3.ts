import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AbortedError, type AirbyteRecordMessage, type ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import { defineDestination, writeWithBarrier, type InputMessage, type RecordRun, type StreamEnds } from '../sdk/index.js';
import { createS3Client } from '../sdk/s3/s3-client.js';
import { s3Error } from '../sdk/s3/s3-errors.js';
import { avroCodec, extensionOf, flattens, gzips, parquetCodec, type DestinationS3Config } from './destination-config.js';
import { ObjectPath } from './object-path.js';
import type { RecordObjectFactory } from './record-object.js';
import { configValidator } from './config-validator.js';
import { spec } from './spec.js';
import { StreamObjects } from './stream-objects.js';
import { TextObject } from './text-object.js';
import { csvFormat, jsonlFormat } from './text-formats.js';

const MiB = 1024 * 1024;

function client(c: DestinationS3Config): S3Client {
  return createS3Client({
    accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key, roleArn: c.role_arn,
    endpoint: c.s3_endpoint, region: c.s3_bucket_region, pathStyle: c.path_style_access, checksums: c.checksum_mode,
  });
}

function objectFactory(s3: S3Client, c: DestinationS3Config, stream: ConfiguredAirbyteCatalog['streams'][number]): RecordObjectFactory {
  const f = c.format;
  const upload = {
    gzip: gzips(f),
    partSize: Math.max(5, c.part_size_mb ?? 8) * MiB,
    queueSize: c.upload_concurrency ?? 4,
    metadata: { 'ab-generation-id': String(stream.generation_id ?? 0) },
  };
  switch (f.format_type) {
    case 'CSV': return async (key) => new TextObject(s3, c.s3_bucket_name, key, csvFormat(stream, flattens(f)), { ...upload, contentType: 'text/csv' });
    case 'JSONL': return async (key) => new TextObject(s3, c.s3_bucket_name, key, jsonlFormat(stream, flattens(f)), { ...upload, contentType: 'application/jsonl' });
    // Avro (avsc, snappy) and Parquet (DuckDB) are loaded only by the syncs that write them
    case 'Avro': {
      const codec = avroCodec(f);
      return async (key) => new (await import('./avro-object.js')).AvroObject(s3, c.s3_bucket_name, key, stream, codec, { ...upload, contentType: 'application/avro' });
    }
    case 'Parquet': {
      const o = { codec: parquetCodec(f.compression_codec) };
      return async (key) => (await import('./parquet-object.js')).ParquetObject.create(s3, c.s3_bucket_name, key, stream, o, { ...upload, contentType: 'application/vnd.apache.parquet' });
    }
  }
}

const keyOf = (name: string, namespace: string | null | undefined) => `${namespace ?? ''}\u0000${name}`;

/**
 * Drop-in for Airbyte's destination-s3 1.x: the same config, object keys (s3_bucket_path +
 * s3_path_format + file_name_pattern), record layout per format and overwrite/append behaviour,
 * on AWS or any S3-compatible store. A STATE is echoed only once every object holding a record
 * before it is complete in the bucket (multipart completed), so an acknowledged record is never lost.
 */
export const destinationS3 = defineDestination<DestinationS3Config>({
  spec,
  configValidator,
  async check(config) {
    if (config.format.format_type === 'Avro') avroCodec(config.format);
    if (config.format.format_type === 'Parquet') parquetCodec(config.format.compression_codec);
    // as the official check does: write, then delete, a small object under the bucket path
    const s3 = client(config);
    const key = `${(config.s3_bucket_path ?? '').replace(/\/+$/, '')}/_airbyte_connection_test_${randomUUID().replace(/-/g, '')}`.replace(/^\/+/, '');
    try {
      await s3.send(new PutObjectCommand({ Bucket: config.s3_bucket_name, Key: key, Body: 'check-content' }));
      await s3.send(new DeleteObjectCommand({ Bucket: config.s3_bucket_name, Key: key }));
    } catch (e) {
      throw s3Error(e, 'PutObject', { bucket: config.s3_bucket_name });
    } finally {
      s3.destroy();
    }
  },
  async write(config, catalog, input, { emit, signal }) {
    const s3 = client(config);
    const syncTime = new Date();
    const streams = new Map<string, StreamObjects>();
    const fileSize = (config.file_size_mb ?? 200) * MiB;
    try {
      for (const s of catalog.streams) {
        const path = new ObjectPath({
          prefix: config.s3_bucket_path ?? '', namespace: s.stream.namespace ?? undefined, stream: s.stream.name,
          syncTime, syncId: s.sync_id, extension: extensionOf(config.format),
        }, config.s3_path_format, config.file_name_pattern);
        streams.set(keyOf(s.stream.name, s.stream.namespace), await StreamObjects.open(s3, config.s3_bucket_name, s, path, objectFactory(s3, config, s), fileSize));
      }
      // A write interrupted by SIGTERM stops at once, even while the source keeps stdin open and silent:
      // the barrier fails on `failed` while it waits for input; uploads in flight are aborted here.
      let interrupted!: (e: Error) => void;
      const failed = new Promise<never>((_, reject) => { interrupted = reject; });
      const onAbort = () => {
        interrupted(new AbortedError('The write was interrupted'));
        for (const w of streams.values()) void w.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
      // JSON lines take the input a run of lines at a time (no object or promise per record)
      const runs = config.format.format_type === 'JSONL';
      try {
        // Objects are completed when a STATE has waited flush_interval_seconds (or at the end), not
        // every N records: each commit ends the open objects, so frequent commits mean small objects.
        await writeWithBarrier(input, emit, {
          failed,
          async write(m: InputMessage) {
            const env = m.record;
            const w = env ? streams.get(keyOf(env.stream, env.namespace)) : streams.get(keyOf((m.message.record as AirbyteRecordMessage).stream, m.message.record!.namespace));
            if (w) await w.write(m);
          },
          ...(runs ? {
            async writeRun(run: RecordRun) {
              const w = streams.get(keyOf(run.stream, run.namespace));
              if (w) await w.writeRun(run);
            },
          } : {}),
          async commit(final: boolean, ends: StreamEnds) {
            signal.throwIfAborted();
            await Promise.all([...streams.values()].map((w) => w.complete()));
            if (!final) return;
            for (const w of streams.values()) {
              const name = w.stream.stream.name;
              if (w.stream.destination_sync_mode !== 'overwrite') continue;
              if (!ends.complete(name, w.stream.stream.namespace)) {
                const removed = await w.removeObjectsOfThisSync();
                await emit.log('WARN', `The source did not finish stream ${name}: kept the previous data of stream ${name} (overwrite not applied; removed the ${removed} objects this sync wrote)`);
                continue;
              }
              const removed = await w.removeOlderObjects();
              if (removed > 0) await emit.log('INFO', `Removed ${removed} objects of earlier syncs of stream ${name} (overwrite)`);
            }
          },
        }, { maxDelayMs: (config.flush_interval_seconds ?? 60) * 1000, maxRecords: Number.POSITIVE_INFINITY, maxBytes: Number.POSITIVE_INFINITY });
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      const objects = [...streams.values()].reduce((n, w) => n + w.written.length, 0);
      await emit.log('INFO', `Wrote ${objects} objects to s3://${config.s3_bucket_name}/${config.s3_bucket_path ?? ''}`);
    } catch (e) {
      // nothing half-written stays behind: incomplete multipart uploads are aborted
      await Promise.all([...streams.values()].map((w) => w.abort()));
      throw e;
    } finally {
      s3.destroy();
    }
  },
});

