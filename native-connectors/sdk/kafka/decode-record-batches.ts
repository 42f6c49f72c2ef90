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

/** What a batch's messages share for their lazily decoded fields. */
interface Shared { buf: Buffer; context: BatchContext; firstTimestamp: bigint; firstTs: number; appendTime: boolean }

/**
 * A fetched message with kafkajs' fields. The value and offset are decoded at once (every consumer
 * reads them); key, timestamp and headers only when read, from the fetched bytes: a source reads none
 * of them, and a string, a Buffer view and an object less per message was a tenth of its GC time.
 */
class LazyMessage implements FetchedMessage {
  readonly magicByte = 2;
  readonly #shared: Shared;
  readonly #keyAt: number;
  readonly #keyLength: number;
  readonly #timestampDelta: number;
  readonly #headersAt: number;

  constructor(
    readonly attributes: number,
    readonly offset: string,
    readonly value: Buffer | null,
    readonly isControlRecord: boolean,
    readonly batchContext: BatchContext,
    shared: Shared, keyAt: number, keyLength: number, timestampDelta: number, headersAt: number,
  ) {
    this.#shared = shared;
    this.#keyAt = keyAt;
    this.#keyLength = keyLength;
    this.#timestampDelta = timestampDelta;
    this.#headersAt = headersAt;
  }

  get key(): Buffer | null {
    return this.#keyLength < 0 ? null : this.#shared.buf.subarray(this.#keyAt, this.#keyAt + this.#keyLength);
  }

  get timestamp(): string {
    const s = this.#shared;
    return s.appendTime ? s.context.maxTimestamp : plus(s.firstTimestamp, s.firstTs, this.#timestampDelta);
  }

  get headers(): FetchedMessage['headers'] {
    const buf = this.#shared.buf;
    at = this.#headersAt;
    const headers: FetchedMessage['headers'] = {};
    const count = readVarint(buf);
    for (let h = 0; h < count; h++) {
      const k = readVarBytes(buf)!.toString('utf8');
      const v = readVarBytes(buf);
      // repeated keys become an array, as kafkajs does
      const prev = headers[k];
      headers[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return headers;
  }
}

function decodeRecords(buf: Buffer, count: number, baseOffset: bigint, firstTimestamp: bigint, context: BatchContext, attributes: number, out: FetchedMessage[]): void {
  at = 0;
  const base = Number(baseOffset);
  const shared: Shared = { buf, context, firstTimestamp, firstTs: Number(firstTimestamp), appendTime: (attributes & LOG_APPEND_TIME) !== 0 };
  const isControlRecord = context.isControlBatch;
  for (let i = 0; i < count && at < buf.length; i++) {
    const length = readVarint(buf);
    const end = at + length;
    if (end > buf.length) break; // a cut record at the end of a fetch
    const recordAttributes = buf.readInt8(at++);
    const timestampDelta = readVarint(buf);
    const offsetDelta = readVarint(buf);
    const keyLength = readVarint(buf);
    const keyAt = at;
    if (keyLength > 0) at += keyLength;
    const value = readVarBytes(buf);
    out.push(new LazyMessage(recordAttributes, plus(baseOffset, base, offsetDelta), value, isControlRecord, context, shared, keyAt, keyLength, timestampDelta, at));
    at = end;
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
