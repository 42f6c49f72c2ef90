import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeRecordBatches } from '../../native-connectors/sdk/kafka/decode-record-batches.js';
import { fastBatch } from '../../native-connectors/sdk/kafka/fast-batch.js';
import { frameRequest } from '../../native-connectors/sdk/kafka/frame-request.js';
import { encodeProduceRequest, type ProduceMessage, type ProduceRequestData } from '../../native-connectors/sdk/kafka/produce-request.js';
import { registerCompressionCodecs } from '../../native-connectors/sdk/kafka/register-codecs.js';

// kafkajs' own encoder and decoder are the reference: ours must write the same bytes and read the same messages.
const require = createRequire(import.meta.url);
const kafkajsRequest = require('kafkajs/src/protocol/requests/produce/v3/request.js');
const kafkajsDecodeMessages = require('kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js');
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const Decoder = require('kafkajs/src/protocol/decoder.js');
const Encoder = require('kafkajs/src/protocol/encoder.js');
const Long = require('kafkajs/src/utils/long.js');
const { lookupCodec, lookupCodecByAttributes } = require('kafkajs/src/protocol/message/compression/index.js');

registerCompressionCodecs();
const compress = async (compression: number, records: Buffer): Promise<Buffer> => {
  const e = new Encoder(0);
  e.buf = records;
  e.offset = records.length;
  return lookupCodec(compression).compress(e);
};
const decompress = (attributes: number, records: Buffer) => lookupCodecByAttributes(attributes).decompress(records);

const ts = 1_764_460_800_000;
const edgeMessages: ProduceMessage[] = [
  { key: 'k1', value: '{"a":1}', timestamp: ts },
  { key: null, value: null, timestamp: ts + 5 },
  { key: Buffer.from([0, 1, 2, 255]), value: Buffer.from('ünïcødé 😀 中文'), headers: { a: 'b', many: ['d', 'é'], bin: Buffer.from([0, 9]) }, timestamp: String(ts + 1) },
  { key: '', value: '', timestamp: ts },
  { value: `{"big":"${'x'.repeat(1_000_000)}","n":123456789012345678901234567890}`, timestamp: ts + 2 },
  // sizes around the varint steps (64, 8192 bytes)
  ...[63, 64, 65, 8191, 8192, 8193].map((n) => ({ key: 'ß'.repeat(n), value: 'é'.repeat(n), timestamp: ts + n })),
];
const manyMessages: ProduceMessage[] = Array.from({ length: 2_000 }, (_, i) => ({ key: `key-${i}`, value: `{"i":${i},"s":"${'v'.repeat(i % 300)}"}`, timestamp: ts }));

const request = (compression: number, extra: Partial<ProduceRequestData> = {}): ProduceRequestData => ({
  acks: -1, timeout: 30_000, compression, ...extra,
  topicData: [
    { topic: 'tëst-topic', partitions: [{ partition: 0, firstSequence: 7, messages: edgeMessages }, { partition: 2, messages: manyMessages }] },
    { topic: 'other', partitions: [{ partition: 1, messages: [{ key: 'a', value: 'b', timestamp: ts }] }] },
  ],
});

const b64 = (b: Buffer | null) => (b === null ? null : b.toString('base64'));
/**
 * A decoded message with its bytes as base64 (deep-comparing megabyte Buffers is slow); key,
 * timestamp and headers read by name, as ours decodes them when read.
 */
const plain = <T extends { key: Buffer | null; value: Buffer | null; headers: Record<string, unknown>; timestamp?: string }>(m: T) => ({
  ...m,
  timestamp: m.timestamp,
  key: b64(m.key),
  value: b64(m.value),
  headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(b64) : b64(v as Buffer | null)])),
});

/** A fetched record set: kafkajs' own record batches for `messages`, with base offsets, the last one cut. */
async function fetchedRecordSet(compression: number, messages: ProduceMessage[], cut: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let base = 1_000n;
  for (const chunk of [messages, messages.slice(0, 3), messages]) {
    const records = chunk.map((m, i) => Record({ ...m, offsetDelta: i, timestampDelta: Number(m.timestamp) - ts }));
    const batch: Buffer = (await RecordBatch({ compression, records, firstTimestamp: ts, maxTimestamp: ts + 9_000, lastOffsetDelta: records.length - 1, producerId: Long.fromNumber(42), producerEpoch: 3 })).buffer;
    batch.writeBigInt64BE(base, 0);
    base += BigInt(chunk.length);
    parts.push(batch);
  }
  const all = Buffer.concat(parts);
  return all.subarray(0, all.length - cut);
}

describe('Kafka fast path: produce requests', () => {
  it('writes the same bytes as kafkajs (no compression; keys, nulls, headers, unicode, 1 MB values, varint edges)', async () => {
    const ours = await encodeProduceRequest(request(0), compress);
    const theirs: Buffer = (await kafkajsRequest(request(0)).encode()).buffer;
    expect(ours.length).toBe(theirs.length);
    expect(ours.equals(theirs)).toBe(true);
  });

  it('writes the same bytes as kafkajs for an idempotent, transactional producer', async () => {
    const extra = { transactionalId: 'tx-ü', producerId: Long.fromNumber(1234567), producerEpoch: 9 };
    const ours = await encodeProduceRequest(request(0, extra), compress);
    expect(ours.equals((await kafkajsRequest(request(0, extra)).encode()).buffer)).toBe(true);
  });

  it.each([['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]])('%s batches decode (by kafkajs) to the messages sent', async (_name, compression) => {
    const body = await encodeProduceRequest(request(compression), compress);
    // transactional id (null), acks, timeout, 2 topics; topic name; 2 partitions; partition 0, record set size
    let pos = 2 + 2 + 4 + 4 + 2 + Buffer.byteLength('tëst-topic') + 4 + 4;
    const size = body.readInt32BE(pos);
    const recordSet = Buffer.from(body.subarray(pos, pos + 4 + size));
    pos += 4 + size;
    const decoded = await kafkajsDecodeMessages(new Decoder(recordSet));
    const buf = (v: Buffer | string | null | undefined) => (v === null || v === undefined ? null : Buffer.from(v));
    expect(decoded.map((m: { key: Buffer | null; value: Buffer | null; headers: Record<string, unknown>; offset: string; timestamp: string }) => {
      const { key, value, headers, offset, timestamp } = plain(m);
      return { key, value, headers, offset, timestamp };
    })).toEqual(edgeMessages.map((m, i) => plain({
      key: buf(m.key),
      value: buf(m.value),
      headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(buf) : buf(v)])),
      offset: String(i),
      timestamp: String(m.timestamp),
    } as never)));
    expect(recordSet.readInt16BE(4 + 21) & 0x07).toBe(compression);
  });
});

describe('Kafka fast path: fetched record batches', () => {
  it.each([['none', 0], ['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]])('%s: the same messages as kafkajs decodes, a cut batch at the end left out', async (_name, compression) => {
    for (const cut of [0, 10]) {
      const recordSet = await fetchedRecordSet(compression, edgeMessages, cut);
      const framed = Buffer.alloc(4 + recordSet.length);
      framed.writeInt32BE(recordSet.length);
      recordSet.copy(framed, 4);
      const theirs = await kafkajsDecodeMessages(new Decoder(framed));
      const ours = await decodeRecordBatches(recordSet, decompress);
      expect(ours.length).toBe(cut === 0 ? edgeMessages.length * 2 + 3 : edgeMessages.length + 3);
      expect(ours.map(plain)).toEqual(theirs.map(plain));
    }
  });

  it('offsets and timestamps beyond 2^53 stay exact', async () => {
    const records = [Record({ key: 'a', value: 'b', offsetDelta: 0, timestampDelta: 0 }), Record({ key: 'c', value: 'd', offsetDelta: 1, timestampDelta: 3 })];
    const batch: Buffer = (await RecordBatch({ records, firstTimestamp: ts, maxTimestamp: ts, lastOffsetDelta: 1 })).buffer;
    batch.writeBigInt64BE(9_007_199_254_740_993n, 0);
    const [, second] = await decodeRecordBatches(batch, decompress);
    expect(second!.offset).toBe('9007199254740994');
    expect(second!.timestamp).toBe(String(ts + 3));
  });
});

describe('Kafka fast path: request framing', () => {
  it.each([['a client id', 'airdock-ü'], ['no client id', null]])('frames a request as kafkajs does, with %s', async (_name, clientId) => {
    const kafkajsFrame = require('kafkajs/src/protocol/request.js');
    const body = await encodeProduceRequest(request(0), compress);
    const req = { apiKey: 0, apiVersion: 7, encode: async () => { const e = new Encoder(0); e.buf = body; e.offset = body.length; return e; } };
    const ours = await frameRequest({ correlationId: 123_456, clientId, request: req });
    const theirs = await kafkajsFrame({ correlationId: 123_456, clientId, request: req });
    expect(ours.buffer.equals(theirs.buffer)).toBe(true);
    expect(ours.size()).toBe(theirs.size());
  });
});

describe('Kafka fast path: consumer batches', () => {
  const KafkajsBatch = require('kafkajs/src/consumer/batch.js');
  const FastBatch = fastBatch(KafkajsBatch, require('kafkajs/src/consumer/filterAbortedMessages.js'));
  const msg = (offset: number, o: { control?: boolean; producerId?: string; inTransaction?: boolean; key?: Buffer } = {}) => ({
    offset: String(offset), key: o.key ?? null, isControlRecord: o.control ?? false,
    batchContext: { producerId: o.producerId ?? '-1', inTransaction: o.inTransaction ?? false },
  });
  const cases: [string, string, ReturnType<typeof msg>[], object[]?][] = [
    ['all at or after the fetched offset', '10', [msg(10), msg(11), msg(12)]],
    ['some before it (a compressed batch starts earlier)', '11', [msg(9), msg(10), msg(11), msg(12)]],
    ['all before it', '20', [msg(9), msg(10)]],
    ['none', '5', []],
    ['control records', '0', [msg(0), msg(1, { control: true }), msg(2)]],
    ['an aborted transaction', '0', [msg(0, { producerId: '7', inTransaction: true }), msg(1, { producerId: '8', inTransaction: true }), msg(2, { producerId: '7', control: true, key: Buffer.from([0, 0, 0, 0]) }), msg(3)], [{ producerId: '7', firstOffset: '0' }]],
    ['offsets beyond 2^53', '9007199254740993', [msg(0), { ...msg(0), offset: '9007199254740993' }, { ...msg(0), offset: '9007199254740994' }]],
  ];
  it.each(cases)('%s: the same batch as kafkajs builds', (_name, fetchedOffset, messages, abortedTransactions = []) => {
    const data = { partition: 2, highWatermark: '30', abortedTransactions, messages };
    const ours = new FastBatch('t', fetchedOffset, data) as InstanceType<typeof KafkajsBatch>;
    const theirs = new KafkajsBatch('t', fetchedOffset, data);
    expect(ours).toBeInstanceOf(KafkajsBatch);
    expect({ ...ours }).toEqual({ ...theirs });
    for (const method of ['isEmpty', 'isEmptyIncludingFiltered', 'isEmptyDueToFiltering', 'isEmptyControlRecord', 'isEmptyDueToLogCompactedMessages', 'firstOffset', 'lastOffset', 'offsetLag', 'offsetLagLow']) {
      expect(ours[method](), method).toEqual(theirs[method]());
    }
  });
});
