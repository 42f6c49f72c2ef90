import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Emitter } from '../sdk/index.js';
import { toSourceError } from './pg-errors.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const OUT_CHUNK = 256 * 1024;

export interface CopyRecordsOptions {
  emit: Emitter;
  stream: string;
  namespace: string;
  emittedAt: number;
  signal: AbortSignal;
  /** Called with the second output column (text) of each row, when the query has one. */
  onExtra?: (value: string | null) => void;
}

/**
 * Runs `COPY (<select>) TO STDOUT (FORMAT binary)` whose first column is each row's data as JSON text
 * (built by the server, see column-types.ts), wraps every row in the RECORD envelope and hands the
 * bytes to the emitter in ~256 KiB batches. Binary framing means no escaping to undo: a row is copied
 * into the output as it arrived. Reading waits whenever the emitter waits, so a slow stdout slows the
 * server through TCP instead of filling memory. Returns the number of rows.
 */
export async function copyRecords(client: pg.PoolClient | pg.Client, select: string, o: CopyRecordsOptions): Promise<number> {
  const prefix = Buffer.from(`{"type":"RECORD","record":{"stream":${JSON.stringify(o.stream)},"namespace":${JSON.stringify(o.namespace)},"emitted_at":${o.emittedAt},"data":`);
  const suffix = Buffer.from('}}\n');
  const source = client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`));
  const abort = () => source.destroy(o.signal.reason instanceof Error ? o.signal.reason : new Error('aborted'));
  o.signal.addEventListener('abort', abort, { once: true });
  let out = Buffer.allocUnsafe(OUT_CHUNK);
  let outPos = 0;
  let outRows = 0;
  let rows = 0;
  let pending: Buffer | undefined; // an incomplete tuple carried to the next chunk
  let headerDone = false;
  const flush = async () => {
    if (outRows === 0) return;
    const w = o.emit.recordBytes(o.stream, out.subarray(0, outPos), outRows, o.namespace);
    out = Buffer.allocUnsafe(OUT_CHUNK);
    outPos = 0;
    outRows = 0;
    if (w) await w;
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = undefined;
      let pos = 0;
      if (!headerDone) {
        if (buf.length < 19) { pending = buf; continue; }
        if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('unexpected COPY binary header');
        pos = 19 + buf.readUInt32BE(15);
        headerDone = true;
      }
      for (;;) {
        if (buf.length - pos < 2) break;
        const fields = buf.readInt16BE(pos);
        if (fields === -1) { pos = buf.length; break; } // trailer
        // Find the end of this tuple; carry it over if it is not all here yet.
        let p = pos + 2;
        let complete = true;
        const starts: number[] = [];
        const lens: number[] = [];
        for (let f = 0; f < fields; f++) {
          if (buf.length - p < 4) { complete = false; break; }
          const len = buf.readInt32BE(p);
          p += 4;
          if (len > 0 && buf.length - p < len) { complete = false; break; }
          starts.push(p);
          lens.push(len);
          if (len > 0) p += len;
        }
        if (!complete) break;
        const dataLen = lens[0]!;
        const need = prefix.length + (dataLen > 0 ? dataLen : 4) + suffix.length;
        if (outPos + need > out.length) {
          await flush();
          if (need > out.length) out = Buffer.allocUnsafe(need);
        }
        outPos += prefix.copy(out, outPos);
        if (dataLen >= 0) outPos += buf.copy(out, outPos, starts[0]!, starts[0]! + dataLen);
        else outPos += out.write('null', outPos, 'latin1');
        outPos += suffix.copy(out, outPos);
        outRows++;
        rows++;
        if (o.onExtra && fields > 1) o.onExtra(lens[1]! < 0 ? null : buf.toString('utf8', starts[1]!, starts[1]! + lens[1]!));
        pos = p;
      }
      if (pos < buf.length) pending = buf.subarray(pos);
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
