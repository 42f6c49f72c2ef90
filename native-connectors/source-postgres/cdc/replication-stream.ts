import type pg from 'pg';
import * as copyStreams from 'pg-copy-streams';
import type { Duplex } from 'node:stream';
import { toSourceError } from '../pg-errors.js';
import { quoteIdent } from '../relations.js';
import { formatLsn, nowPgMicros } from './lsn.js';

// pg-copy-streams ships CopyBoth (`both`), its type definitions do not declare it yet.
const copyBoth = (copyStreams as unknown as { both: (sql: string, o: { alignOnCopyDataFrame: boolean }) => Duplex & pg.Submittable }).both;

export type ReplicationFrame =
  | { kind: 'data'; start: bigint; walEnd: bigint; payload: Buffer }
  | { kind: 'keepalive'; walEnd: bigint; replyRequested: boolean };

/**
 * The streaming side of a logical replication slot over the replication protocol (a node-postgres
 * connection in `replication: 'database'` mode, CopyBoth through pg-copy-streams). Confirming a
 * position (the slot's confirmed_flush_lsn) is explicit: `confirm(lsn)` only, never implied by reading.
 */
export class ReplicationStream {
  readonly #duplex: Duplex;
  #confirmed: bigint;

  private constructor(duplex: Duplex, confirmed: bigint) {
    this.#duplex = duplex;
    this.#confirmed = confirmed;
  }

  static start(client: pg.Client, slot: string, publication: string, from: bigint, confirmed: bigint): ReplicationStream {
    const pub = publication.replace(/'/g, "''").replace(/"/g, '""');
    const sql = `START_REPLICATION SLOT ${quoteIdent(slot)} LOGICAL ${formatLsn(from)} ("proto_version" '1', "publication_names" '"${pub}"')`;
    const duplex = client.query(copyBoth(sql, { alignOnCopyDataFrame: true }));
    duplex.on('error', () => {}); // reported by frames(); after close nobody is listening
    return new ReplicationStream(duplex, confirmed);
  }

  /**
   * The frames in order. Read in flowing mode: pg-copy-streams pushes one CopyData frame per chunk,
   * but a paused Readable's read() would glue buffered chunks together, and an XLogData frame does not
   * say where it ends. Backpressure: the socket is paused while 64 frames wait to be consumed.
   */
  async *frames(signal: AbortSignal): AsyncGenerator<ReplicationFrame> {
    const queue: Buffer[] = [];
    let failure: unknown;
    let ended = false;
    let wake: (() => void) | undefined;
    const notify = () => { const w = wake; wake = undefined; w?.(); };
    const d = this.#duplex;
    const onData = (chunk: Buffer) => { queue.push(chunk); if (queue.length >= 64) d.pause(); notify(); };
    const onEnd = () => { ended = true; notify(); };
    const onError = (e: unknown) => { failure ??= e; notify(); };
    const onAbort = () => { d.destroy(); notify(); };
    d.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const chunk = queue.shift();
        if (!chunk) {
          signal.throwIfAborted();
          if (failure) throw toSourceError(failure, 'stream changes');
          if (ended) return;
          if (d.isPaused()) d.resume();
          await new Promise<void>((r) => { wake = r; });
          continue;
        }
        const kind = chunk[0];
        if (kind === 0x77) yield { kind: 'data', start: chunk.readBigUInt64BE(1), walEnd: chunk.readBigUInt64BE(9), payload: chunk.subarray(25) };
        else if (kind === 0x6b) yield { kind: 'keepalive', walEnd: chunk.readBigUInt64BE(1), replyRequested: chunk[17] === 1 };
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      d.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError);
    }
  }

  /** Moves the slot's confirmed position (the server may then recycle WAL before it). */
  confirm(lsn: bigint): void {
    if (lsn > this.#confirmed) this.#confirmed = lsn;
    this.status(false);
  }

  /**
   * A standby status update. `replyRequested` asks the server for a keepalive now, which carries how
   * far it has decoded: the way to learn that we are caught up without waiting for its timer.
   */
  status(replyRequested: boolean): void {
    const b = Buffer.alloc(34);
    b[0] = 0x72; // 'r'
    b.writeBigUInt64BE(this.#confirmed, 1); // written
    b.writeBigUInt64BE(this.#confirmed, 9); // flushed: what the slot may forget
    b.writeBigUInt64BE(this.#confirmed, 17); // applied
    b.writeBigInt64BE(nowPgMicros(), 25);
    b[33] = replyRequested ? 1 : 0;
    this.#duplex.write(b);
  }

  close(): void {
    this.#duplex.destroy();
  }
}
