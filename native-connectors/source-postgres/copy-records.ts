import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Emitter } from '../sdk/index.js';
import { toSourceError } from './pg-errors.js';
import type { RecordSelect } from './table-read.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const SUFFIX = Buffer.from('}}\n');
const OUT_CHUNK = 256 * 1024;

export interface CopyRecordsOptions {
  emit: Emitter;
  stream: string;
  namespace: string;
  emittedAt: number;
  signal: AbortSignal;
  /** Called with the text of the field after the data's fields of each row, when the query has one. */
  onExtra?: (value: string | null) => void;
}

/**
 * Runs `COPY (<select>) TO STDOUT (FORMAT binary)` and turns each row into a RECORD line: the
 * envelope, then the data object RowEncoder writes from the row's fields, straight into ~256 KiB
 * batches handed to the emitter. Reading waits whenever the emitter waits, so a slow stdout slows
 * the server through TCP instead of filling memory. Returns the number of rows.
 */
export async function copyRecords(client: pg.PoolClient | pg.Client, select: RecordSelect, o: CopyRecordsOptions): Promise<number> {
  const { encoder } = select;
  const dataFields = encoder.fields;
  const prefix = Buffer.from(`{"type":"RECORD","record":{"stream":${JSON.stringify(o.stream)},"namespace":${JSON.stringify(o.namespace)},"emitted_at":${o.emittedAt},"data":`);
  const fixed = prefix.length + SUFFIX.length;
  const source = client.query(copyTo(`COPY (${select.sql}) TO STDOUT (FORMAT binary)`));
  const abort = () => source.destroy(o.signal.reason instanceof Error ? o.signal.reason : new Error('aborted'));
  o.signal.addEventListener('abort', abort, { once: true });
  let out = Buffer.allocUnsafe(OUT_CHUNK);
  let outPos = 0;
  let outRows = 0;
  let rows = 0;
  let pending: Buffer | undefined; // the start of a tuple whose end is in a later chunk
  let headerDone = false;
  let trailer = false;
  const flush = async () => {
    if (outRows === 0) return;
    const w = o.emit.recordBytes(o.stream, out.subarray(0, outPos), outRows, o.namespace);
    out = Buffer.allocUnsafe(OUT_CHUNK);
    outPos = 0;
    outRows = 0;
    if (w) await w;
  };
  /** Encodes the complete tuples of `buf` from `pos`; returns where the first incomplete one starts. */
  const encodeTuples = async (buf: Buffer, pos: number): Promise<number> => {
    for (;;) {
      const end = tupleEnd(buf, pos);
      if (end === -1) return pos;
      if (end === TRAILER) { trailer = true; return buf.length; }
      const need = fixed + encoder.maxBytes(end - pos);
      if (outPos + need > out.length) {
        await flush();
        if (need > out.length) out = Buffer.allocUnsafe(need);
      }
      outPos += prefix.copy(out, outPos);
      outPos = encoder.encode(buf, pos + 2, out, outPos);
      outPos += SUFFIX.copy(out, outPos);
      outRows++;
      rows++;
      if (o.onExtra && buf.readInt16BE(pos) > dataFields) o.onExtra(lastField(buf, pos, dataFields));
      pos = end;
    }
  };
  try {
    for await (const c of source as AsyncIterable<Buffer>) {
      let chunk = c;
      if (trailer) continue;
      if (!headerDone) {
        if (pending) { chunk = Buffer.concat([pending, chunk]); pending = undefined; }
        if (chunk.length < 19) { pending = chunk; continue; }
        if (!chunk.subarray(0, 11).equals(SIGNATURE)) throw new Error('unexpected COPY binary header');
        const start = 19 + chunk.readUInt32BE(15);
        if (chunk.length < start) { pending = chunk; continue; }
        chunk = chunk.subarray(start);
        headerDone = true;
      }
      let pos = 0;
      if (pending) {
        // Join only the carried tuple and the bytes that complete it, not the whole new chunk.
        const rest = bytesToComplete(pending, chunk);
        if (rest === -1) { pending = Buffer.concat([pending, chunk]); continue; }
        const joined = Buffer.concat([pending, chunk.subarray(0, rest)]);
        pending = undefined;
        await encodeTuples(joined, 0);
        if (trailer) continue;
        pos = rest;
      }
      pos = await encodeTuples(chunk, pos);
      if (pos < chunk.length) pending = Buffer.from(chunk.subarray(pos)); // a copy: the chunk can be large
      if (outPos >= OUT_CHUNK / 2) await flush();
    }
    await flush();
    return rows;
  } catch (error) {
    o.signal.throwIfAborted();
    throw toSourceError(error, 'read rows');
  } finally {
    o.signal.removeEventListener('abort', abort);
  }
}

const TRAILER = -2;

/** The end of the tuple at `pos`, -1 when it is not all in `buf`, TRAILER at the end-of-data marker. */
function tupleEnd(buf: Buffer, pos: number): number {
  const n = buf.length;
  if (n - pos < 2) return -1;
  const fields = (buf[pos]! << 8) | buf[pos + 1]!;
  if (fields === 0xffff) return TRAILER;
  let p = pos + 2;
  for (let f = 0; f < fields; f++) {
    if (n - p < 4) return -1;
    const len = (buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
    p += 4;
    if (len > 0) {
      if (n - p < len) return -1;
      p += len;
    }
  }
  return p;
}

/**
 * How many bytes of `next` complete the tuple that starts `head`, or -1 when `next` ends first.
 * Walks the field lengths across the two buffers without joining them.
 */
function bytesToComplete(head: Buffer, next: Buffer): number {
  const total = head.length + next.length;
  const at = (i: number) => (i < head.length ? head[i]! : next[i - head.length]!);
  if (total < 2) return -1;
  const fields = (at(0) << 8) | at(1);
  if (fields === 0xffff) return 2 - head.length;
  let p = 2;
  for (let f = 0; f < fields; f++) {
    if (total - p < 4) return -1;
    const len = (at(p) << 24) | (at(p + 1) << 16) | (at(p + 2) << 8) | at(p + 3);
    p += 4;
    if (len > 0) {
      if (total - p < len) return -1;
      p += len;
    }
  }
  return p - head.length;
}

/** The text of field `index` of the tuple at `pos` (null for NULL). */
function lastField(buf: Buffer, pos: number, index: number): string | null {
  let p = pos + 2;
  for (let f = 0; f < index; f++) {
    const len = buf.readInt32BE(p);
    p += 4 + Math.max(0, len);
  }
  const len = buf.readInt32BE(p);
  return len < 0 ? null : buf.toString('utf8', p + 4, p + 4 + len);
}
