/** A decompressor for one compression type (kafkajs' codec interface). */
export type DecompressRecords = (attributes: number, records: Buffer) => Promise<Buffer> | Buffer;

/** A fetched message in the shape kafkajs' consumer expects from its own decoder. */
export interface FetchedMessage {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  batchContext: BatchContext;
}

interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

const LOG_APPEND_TIME = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
/** baseOffset .. recordCount */
const BATCH_HEADER = 61;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// the read position of the record being decoded (module state: no cursor object per record)
let at = 0;

function readUnsignedVarint(buf: Buffer): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const b = buf[at++];
    if (b === undefined) throw new RangeError('A record ends inside a varint');
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 0x80;
  }
  throw new RangeError('A varint is longer than 10 bytes');
}

function readVarint(buf: Buffer): number {
  const u = readUnsignedVarint(buf);
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

function readVarBytes(buf: Buffer): Buffer | null {
  const len = readVarint(buf);
  if (len < 0) return null;
  const b = buf.subarray(at, at + len);
  at += len;
  return b;
}

/** base + delta as a decimal string: numbers while exact (always, in practice), else bigint. */
function plus(base: bigint, baseNumber: number, delta: number): string {
  return base <= MAX_SAFE && base >= -MAX_SAFE ? String(baseNumber + delta) : String(base + BigInt(delta));
}

function decodeRecords(buf: Buffer, count: number, baseOffset: bigint, firstTimestamp: bigint, context: BatchContext, attributes: number, out: FetchedMessage[]): void {
  at = 0;
  const base = Number(baseOffset);
  const firstTs = Number(firstTimestamp);
  const appendTime = (attributes & LOG_APPEND_TIME) !== 0;
  const isControlRecord = context.isControlBatch;
  for (let i = 0; i < count && at < buf.length; i++) {
    const length = readVarint(buf);
    const end = at + length;
    if (end > buf.length) break; // a cut record at the end of a fetch
    const recordAttributes = buf.readInt8(at++);
    const timestampDelta = readVarint(buf);
    const offsetDelta = readVarint(buf);
    const key = readVarBytes(buf);
    const value = readVarBytes(buf);
    const headerCount = readVarint(buf);
    const headers: FetchedMessage['headers'] = {};
    for (let h = 0; h < headerCount; h++) {
      const k = readVarBytes(buf)!.toString('utf8');
      const v = readVarBytes(buf);
      // repeated keys become an array, as kafkajs does
      const prev = headers[k];
      headers[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    at = end;
    out.push({
      magicByte: 2,
      attributes: recordAttributes,
      timestamp: appendTime ? context.maxTimestamp : plus(firstTimestamp, firstTs, timestampDelta),
      offset: plus(baseOffset, base, offsetDelta),
      key,
      value,
      headers,
      isControlRecord,
      batchContext: context,
    });
  }
}

/**
 * The record batches (magic 2) of one fetched partition as kafkajs' message objects, decoded straight
 * from the fetched buffer: kafkajs creates a decoder per record and computes each offset and
 * timestamp through 64-bit Long strings, most of a consuming process' CPU in profiles. A batch cut
 * by the fetch size at the end is left for the next fetch, as kafkajs does.
 */
export async function decodeRecordBatches(buf: Buffer, decompress: DecompressRecords): Promise<FetchedMessage[]> {
  const out: FetchedMessage[] = [];
  let pos = 0;
  while (buf.length - pos >= BATCH_HEADER) {
    const length = buf.readInt32BE(pos + 8);
    const end = pos + 12 + length;
    if (end > buf.length) break;
    const magicByte = buf[pos + 16]!;
    const baseOffset = buf.readBigInt64BE(pos);
    const attributes = buf.readInt16BE(pos + 21);
    const firstTimestamp = buf.readBigInt64BE(pos + 27);
    const context: BatchContext = {
      firstOffset: String(baseOffset),
      firstTimestamp: String(firstTimestamp),
      partitionLeaderEpoch: buf.readInt32BE(pos + 12),
      inTransaction: (attributes & TRANSACTIONAL) !== 0,
      isControlBatch: (attributes & CONTROL) !== 0,
      lastOffsetDelta: buf.readInt32BE(pos + 23),
      producerId: String(buf.readBigInt64BE(pos + 43)),
      producerEpoch: buf.readInt16BE(pos + 51),
      firstSequence: buf.readInt32BE(pos + 53),
      maxTimestamp: String(buf.readBigInt64BE(pos + 35)),
      timestampType: (attributes & LOG_APPEND_TIME) !== 0 ? 1 : 0,
      magicByte,
    };
    const count = buf.readInt32BE(pos + 57);
    let records = buf.subarray(pos + BATCH_HEADER, end);
    if ((attributes & 0x07) !== 0 && count > 0) records = await decompress(attributes, records);
    decodeRecords(records, count, baseOffset, firstTimestamp, context, attributes, out);
    pos = end;
  }
  return out;
}
