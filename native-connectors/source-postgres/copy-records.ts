import type pg from 'pg';
import type { Emitter } from '../sdk/index.js';
import { BinaryCopyOut } from './binary-copy-out.js';
import { toSourceError } from './pg-errors.js';
import type { RecordSelect } from './table-read.js';

const OUT_CHUNK = 256 * 1024;

/**
 * Output buffers stdout is done with, filled again by the next batch. A fresh 256 KiB Buffer per
 * batch was external memory the garbage collector had to chase: ~70 full (mark-compact) collections
 * per 5 M rows, ~1 s of the profile. A few suffice: a batch is written while the next one fills.
 */
const spare: Buffer[] = [];
const SPARE_MAX = 4;

function takeBuffer(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafe(OUT_CHUNK);
}

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
 * envelope, then the data object RowEncoder writes from the row's fields, straight into reused 256 KiB
 * batches handed to the emitter. Reading waits whenever the emitter waits, so a slow stdout slows
 * the server through TCP instead of filling memory. Returns the number of rows.
 */
export async function copyRecords(client: pg.PoolClient | pg.Client, select: RecordSelect, o: CopyRecordsOptions): Promise<number> {
  const { encoder } = select;
  const dataFields = encoder.fields;
  const prefix = Buffer.from(`{"type":"RECORD","record":{"stream":${JSON.stringify(o.stream)},"namespace":${JSON.stringify(o.namespace)},"emitted_at":${o.emittedAt},"data":`);
  const fixed = prefix.length + 3;
  let out = takeBuffer();
  let outPos = 0;
  let outRows = 0;
  let rows = 0;
  /** The emitter's wait for a batch handed over in the middle of a socket chunk. */
  let waiting: Promise<void> | undefined;
  const onTuple = (buf: Buffer, pos: number, end: number) => {
    const need = fixed + encoder.maxBytes(end - pos);
    if (outPos + need > out.length) {
      // A chunk's rows may fill more than one batch: hand this one over and go on; reading waits
      // after the chunk. A row larger than a batch gets a buffer of its own (not kept).
      waiting = flush() ?? waiting;
      if (need > out.length) out = Buffer.allocUnsafe(need);
    }
    // TypedArray#set rather than Buffer#copy: no argument checks and no view per call (a row's
    // envelope is ~100 bytes).
    out.set(prefix, outPos);
    outPos = encoder.encode(buf, pos + 2, out, outPos + prefix.length);
    out[outPos] = 0x7d; // }}\n
    out[outPos + 1] = 0x7d;
    out[outPos + 2] = 0x0a;
    outPos += 3;
    outRows++;
    rows++;
    if (o.onExtra && ((buf[pos]! << 8) | buf[pos + 1]!) > dataFields) o.onExtra(fieldText(buf, pos, dataFields));
  };
  const flush = (): Promise<void> | undefined => {
    if (outRows === 0) return undefined;
    const full = out;
    // Only OUT_CHUNK-long buffers are kept (not one made for a large row).
    const written = full.length === OUT_CHUNK ? () => { if (spare.length < SPARE_MAX) spare.push(full); } : undefined;
    const w = o.emit.recordBytes(o.stream, full.subarray(0, outPos), outRows, o.namespace, written);
    out = takeBuffer();
    outPos = 0;
    outRows = 0;
    return w;
  };
  const afterChunk = (): Promise<void> | undefined => {
    const w = (outPos >= OUT_CHUNK / 2 ? flush() : undefined) ?? waiting;
    waiting = undefined;
    return w;
  };
  const copy = new BinaryCopyOut(`COPY (${select.sql}) TO STDOUT (FORMAT binary)`, onTuple, afterChunk);
  const abort = () => copy.fail(o.signal.reason);
  o.signal.addEventListener('abort', abort, { once: true });
  try {
    client.query(copy);
    await copy.done;
    await (flush() ?? waiting);
    if (out.length === OUT_CHUNK && spare.length < SPARE_MAX) spare.push(out); // unused: the next read's
    return rows;
  } catch (error) {
    o.signal.throwIfAborted();
    throw toSourceError(error, 'read rows');
  } finally {
    o.signal.removeEventListener('abort', abort);
  }
}

/** The text of field `index` of the tuple at `pos` (null for NULL). */
function fieldText(buf: Buffer, pos: number, index: number): string | null {
  let p = pos + 2;
  for (let f = 0; f < index; f++) {
    const len = buf.readInt32BE(p);
    p += 4 + Math.max(0, len);
  }
  const len = buf.readInt32BE(p);
  return len < 0 ? null : buf.toString('utf8', p + 4, p + 4 + len);
}
