import { crc32c } from '@node-rs/crc32';

/** A message as kafkajs hands it to its produce request (the user's message, unchanged). */
export interface ProduceMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | null | undefined | (Buffer | string | null)[]>;
  timestamp?: string | number;
}

export interface ProduceRequestData {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  /** kafkajs passes its Long (a bigint in `.value`); -1 when not idempotent. */
  producerId?: { value: bigint } | bigint | number | string;
  producerEpoch?: number;
  compression?: number;
  topicData: { topic: string; partitions: { partition: number; firstSequence?: number; messages: ProduceMessage[] }[] }[];
}

/** Compresses a batch's records (kafkajs' codec interface: it reads `encoder.buffer`). */
export type CompressRecords = (compression: number, records: Buffer) => Promise<Buffer>;

const TRANSACTIONAL = 0x10;
/** baseOffset .. recordCount: the fixed part of a RecordBatch v2. */
const BATCH_HEADER = 61;
/** Where the CRC-covered part (attributes ..) starts. */
const CRC_START = 21;

const utf8Length = (v: Buffer | string): number => (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length);

const varintSize = (zigzagged: number): number => (zigzagged < 0x80 ? 1 : zigzagged < 0x4000 ? 2 : zigzagged < 0x200000 ? 3 : zigzagged < 0x10000000 ? 4 : zigzagged < 0x800000000 ? 5 : zigzagged < 0x40000000000 ? 6 : zigzagged < 0x2000000000000 ? 7 : 8);
const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
/** A length (or -1 for null) as a zigzag varint: its size. */
const lengthSize = (len: number): number => varintSize(zigzag(len));

function writeVarint(buf: Buffer, pos: number, zigzagged: number): number {
  let v = zigzagged;
  // above 31 bits the bit operators would truncate: divide instead (timestamps deltas only)
  while (v >= 0x80000000) { buf[pos++] = (v % 0x80) | 0x80; v = Math.floor(v / 0x80); }
  while (v >= 0x80) { buf[pos++] = (v & 0x7f) | 0x80; v >>>= 7; }
  buf[pos++] = v;
  return pos;
}

function writeBytes(buf: Buffer, pos: number, v: Buffer | string, len: number): number {
  if (typeof v === 'string') buf.write(v, pos, len, 'utf8');
  else v.copy(buf, pos);
  return pos + len;
}

interface Header { key: string; value: Buffer | string | null }
function headerList(headers: ProduceMessage['headers']): Header[] | undefined {
  if (!headers) return undefined;
  let list: Header[] | undefined;
  for (const key of Object.keys(headers)) {
    const v = headers[key];
    // kafkajs encodes an array as one header per element (the consumer side rebuilds the array)
    for (const value of Array.isArray(v) ? v : [v]) (list ??= []).push({ key, value: value ?? null });
  }
  return list;
}

function timestampOf(m: ProduceMessage, now: number): number {
  return m.timestamp === undefined || m.timestamp === null ? now : Number(m.timestamp);
}

/**
 * One partition's messages as a RecordBatch v2 (magic 2): sizes are computed first, so the batch is
 * one Buffer written in place (kafkajs allocates an encoder of 512 B per record and several per
 * batch, and computes its CRC32C in JavaScript: most of a producing process' CPU in profiles).
 */
async function recordBatch(p: ProduceRequestData['topicData'][number]['partitions'][number], d: ProduceRequestData, compress: CompressRecords): Promise<Buffer> {
  const now = Date.now();
  const { messages } = p;
  let first = Infinity;
  let max = -Infinity;
  for (const m of messages) {
    const t = timestampOf(m, now);
    if (t < first) first = t;
    if (t > max) max = t;
  }
  if (messages.length === 0) first = max = now;
  // pass 1: every record's body size (the varint before each record)
  const sizes = new Array<number>(messages.length * 3);
  const headers = new Array<Header[] | undefined>(messages.length);
  let recordsBytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const keyLen = m.key === null || m.key === undefined ? -1 : utf8Length(m.key);
    const valueLen = m.value === null ? -1 : utf8Length(m.value);
    const h = headerList(m.headers);
    headers[i] = h;
    let body = 1 + varintSize(zigzag(timestampOf(m, now) - first)) + varintSize(zigzag(i)) + lengthSize(keyLen) + Math.max(0, keyLen) + lengthSize(valueLen) + Math.max(0, valueLen);
    body += lengthSize(h?.length ?? 0);
    if (h) for (const x of h) {
      const kl = Buffer.byteLength(x.key, 'utf8');
      const vl = x.value === null ? -1 : utf8Length(x.value);
      body += lengthSize(kl) + kl + lengthSize(vl) + Math.max(0, vl);
    }
    sizes[i * 3] = body;
    sizes[i * 3 + 1] = keyLen;
    sizes[i * 3 + 2] = valueLen;
    recordsBytes += lengthSize(body) + body;
  }
  // pass 2: the records, in place
  const compression = d.compression ?? 0;
  const records = Buffer.allocUnsafe((compression === 0 ? BATCH_HEADER : 0) + recordsBytes);
  let pos = compression === 0 ? BATCH_HEADER : 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const keyLen = sizes[i * 3 + 1]!;
    const valueLen = sizes[i * 3 + 2]!;
    pos = writeVarint(records, pos, zigzag(sizes[i * 3]!));
    records[pos++] = 0;
    pos = writeVarint(records, pos, zigzag(timestampOf(m, now) - first));
    pos = writeVarint(records, pos, zigzag(i));
    pos = writeVarint(records, pos, zigzag(keyLen));
    if (keyLen >= 0) pos = writeBytes(records, pos, m.key!, keyLen);
    pos = writeVarint(records, pos, zigzag(valueLen));
    if (valueLen >= 0) pos = writeBytes(records, pos, m.value!, valueLen);
    const h = headers[i];
    pos = writeVarint(records, pos, zigzag(h?.length ?? 0));
    if (h) for (const x of h) {
      const kl = Buffer.byteLength(x.key, 'utf8');
      pos = writeVarint(records, pos, zigzag(kl));
      pos = writeBytes(records, pos, x.key, kl);
      const vl = x.value === null ? -1 : utf8Length(x.value);
      pos = writeVarint(records, pos, zigzag(vl));
      if (x.value !== null) pos = writeBytes(records, pos, x.value, vl);
    }
  }
  let batch: Buffer;
  if (compression === 0) batch = records;
  else {
    const compressed = await compress(compression, records);
    batch = Buffer.allocUnsafe(BATCH_HEADER + compressed.length);
    compressed.copy(batch, BATCH_HEADER);
  }
  const transactional = d.transactionalId ? TRANSACTIONAL : 0;
  batch.writeBigInt64BE(0n, 0); // baseOffset: the broker assigns offsets
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeInt32BE(0, 12); // partitionLeaderEpoch, as kafkajs
  batch.writeInt8(2, 16); // magic
  batch.writeInt16BE((compression & 0x07) | transactional, CRC_START);
  batch.writeInt32BE(messages.length - 1, 23);
  batch.writeBigInt64BE(BigInt(first), 27);
  batch.writeBigInt64BE(BigInt(max), 35);
  batch.writeBigInt64BE(producerIdOf(d.producerId), 43);
  batch.writeInt16BE(d.producerEpoch ?? 0, 51);
  batch.writeInt32BE(p.firstSequence ?? 0, 53);
  batch.writeInt32BE(messages.length, 57);
  batch.writeUInt32BE(crc32c(batch.subarray(CRC_START)) >>> 0, 17);
  return batch;
}

function producerIdOf(id: ProduceRequestData['producerId']): bigint {
  if (id === undefined) return -1n;
  if (typeof id === 'object') return id.value;
  return BigInt(id);
}

/**
 * The body of a Produce request v3..v7 (they share one layout): transactional id, acks, timeout,
 * then per topic and partition one RecordBatch v2. Byte-for-byte the request kafkajs writes, built
 * from a few Buffers instead of one encoder per record.
 */
export async function encodeProduceRequest(d: ProduceRequestData, compress: CompressRecords): Promise<Buffer> {
  const parts: Buffer[] = [];
  const tid = d.transactionalId ?? null;
  const head = Buffer.allocUnsafe(2 + (tid === null ? 0 : Buffer.byteLength(tid, 'utf8')) + 2 + 4 + 4);
  let pos = 0;
  if (tid === null) pos = head.writeInt16BE(-1, pos);
  else { pos = head.writeInt16BE(Buffer.byteLength(tid, 'utf8'), pos); pos += head.write(tid, pos, 'utf8'); }
  pos = head.writeInt16BE(d.acks, pos);
  pos = head.writeInt32BE(d.timeout, pos);
  head.writeInt32BE(d.topicData.length, pos);
  parts.push(head);
  for (const t of d.topicData) {
    const name = Buffer.from(t.topic, 'utf8');
    const th = Buffer.allocUnsafe(2 + name.length + 4);
    th.writeInt16BE(name.length, 0);
    name.copy(th, 2);
    th.writeInt32BE(t.partitions.length, 2 + name.length);
    parts.push(th);
    for (const p of t.partitions) {
      const batch = await recordBatch(p, d, compress);
      const ph = Buffer.allocUnsafe(8);
      ph.writeInt32BE(p.partition, 0);
      ph.writeInt32BE(batch.length, 4);
      parts.push(ph, batch);
    }
  }
  return Buffer.concat(parts);
}
