import { createRequire } from 'node:module';
import { decodeRecordBatches } from './decode-record-batches.js';
import { fastBatch } from './fast-batch.js';
import { frameRequest } from './frame-request.js';
import { installPrefetchingFetch } from './prefetching-fetch.js';
import { encodeProduceRequest, type ProduceRequestData } from './produce-request.js';

const require = createRequire(import.meta.url);
let installed = false;

/** A kafkajs module's file, loaded, so its cache entry can take other exports. */
function kafkajsModule(path: string): NodeJS.Module {
  const file = require.resolve(`kafkajs/src/${path}`);
  require(file);
  return require.cache[file]!;
}

/**
 * kafkajs' grouping of a send's messages per partition, linear: its own copies the partition's array
 * for every message (quadratic: ~1,000 messages per partition and send).
 */
function groupMessagesPerPartition({ topic, partitionMetadata, messages, partitioner }: {
  topic: string; partitionMetadata: unknown[]; messages: unknown[]; partitioner: (a: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number;
}): Record<number, unknown[]> {
  const result: Record<number, unknown[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) (result[partitioner({ topic, partitionMetadata, message })] ??= []).push(message);
  return result;
}

/**
 * Replaces kafkajs' encoding of Produce requests (v3..v7, what a Kafka 2.1+ broker gets), its decoding
 * of fetched record sets (produce-request.ts, decode-record-batches.ts), its request framing
 * (frame-request.ts), its grouping of messages per partition and its consumer Batch (fast-batch.ts), and
 * lets chosen consumer groups fetch ahead (prefetching-fetch.ts): the hot paths of a producing or consuming process in CPU profiles.
 * Everything else stays kafkajs': connections, SASL, metadata, retries, idempotent sequence numbers,
 * group coordination, response errors. kafkajs (pinned) captures modules as it loads, so this runs
 * before kafkajs is first imported (the connectors' main.ts); it throws when too late rather than
 * silently doing nothing. The unit tests compare the bytes with kafkajs' own encoder and decoder, the
 * integration tests read back through the broker with kafkajs on the other side.
 */
export function installKafkajsFastPath(): void {
  if (installed) return;
  if (['producer/sendMessages.js', 'network/connection.js', 'consumer/consumerGroup.js'].some((m) => require.cache[require.resolve(`kafkajs/src/${m}`)])) throw new Error('installKafkajsFastPath() must run before kafkajs is imported');
  installed = true;
  kafkajsModule('producer/groupMessagesPerPartition.js').exports = groupMessagesPerPartition;
  kafkajsModule('protocol/request.js').exports = frameRequest;
  const batch = kafkajsModule('consumer/batch.js');
  batch.exports = fastBatch(batch.exports, kafkajsModule('consumer/filterAbortedMessages.js').exports);
  installPrefetchingFetch(kafkajsModule('consumer/consumerGroup.js').exports, batch.exports);
  const Encoder = kafkajsModule('protocol/encoder.js').exports;
  const { lookupCodec, lookupCodecByAttributes } = kafkajsModule('protocol/message/compression/index.js').exports;
  const { Produce: apiKey } = kafkajsModule('protocol/requests/apiKeys.js').exports;
  for (const v of [4, 5, 6, 7]) {
    if (require.cache[require.resolve(`kafkajs/src/protocol/requests/produce/v${v}/request.js`)]) throw new Error(`kafkajs produce v${v} was loaded before the fast path was installed`);
  }
  const compress = async (compression: number, records: Buffer): Promise<Buffer> => {
    const encoder = new Encoder(0);
    encoder.buf = records;
    encoder.offset = records.length;
    return lookupCodec(compression).compress(encoder);
  };
  kafkajsModule('protocol/requests/produce/v3/request.js').exports = (data: ProduceRequestData) => ({
    apiKey,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => data.acks !== 0,
    encode: async () => {
      const body = await encodeProduceRequest(data, compress);
      // kafkajs frames the request around an encoder: hand it ours without copying
      const encoder = new Encoder(0);
      encoder.buf = body;
      encoder.offset = body.length;
      return encoder;
    },
  });

  const fetchDecode = kafkajsModule('protocol/requests/fetch/v4/decodeMessages.js');
  const original = fetchDecode.exports;
  const decompress = (attributes: number, records: Buffer) => lookupCodecByAttributes(attributes).decompress(records);
  fetchDecode.exports = async (decoder: { buffer: Buffer; offset: number; readInt32(): number; canReadBytes(n: number): boolean; readBytes(n: number): Buffer }) => {
    const start = decoder.offset;
    const size = decoder.readInt32();
    if (size <= 0 || !decoder.canReadBytes(size)) return [];
    // the magic byte is at the same place in every message format: older ones stay kafkajs'
    if (size < 17 || decoder.buffer[decoder.offset + 16] !== 2) {
      decoder.offset = start;
      return original(decoder);
    }
    return decodeRecordBatches(decoder.readBytes(size), decompress);
  };
  for (const v of [4, 5, 6, 7, 8, 9, 10, 11]) {
    if (require.cache[require.resolve(`kafkajs/src/protocol/requests/fetch/v${v}/response.js`)]) throw new Error(`kafkajs fetch v${v} was loaded before the fast path was installed`);
  }
}
