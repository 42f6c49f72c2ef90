const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = 19; // signature, flags, header extension length
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'

/** Called for each complete tuple: `buf[pos]` is its field count, every field is in `buf`. */
export type TupleHandler = (buf: Buffer, pos: number, end: number) => void;

/**
 * The server's side of `COPY ... TO STDOUT (FORMAT binary)`, parsed from the connection's bytes:
 * protocol messages, then the binary COPY stream inside the CopyData messages, split into tuples.
 *
 * Why not pg-copy-streams here: it copies every CopyData message into a Buffer object of its own and
 * then concatenates them again (a CPU profile of 1 M rows: ~0.3 s and most of the garbage collection
 * of the source process). Here a tuple that lies inside one socket chunk (PostgreSQL sends one
 * message per row) is handed over where it is; only a tuple split across messages or chunks is
 * copied, into `#pending`.
 */
export class CopyOutParser {
  readonly #onTuple: TupleHandler;
  /** The start of a protocol message whose end is in a later chunk. */
  readonly #carry = new Gathered();
  /** COPY stream bytes not yet forming a whole tuple (or the header). */
  readonly #pending = new Gathered();
  #headerDone = false;
  #trailer = false;

  constructor(onTuple: TupleHandler) {
    this.#onTuple = onTuple;
  }

  /** Whether the end-of-data marker was seen. */
  get trailer(): boolean {
    return this.#trailer;
  }

  /**
   * Feeds bytes read from the connection. Returns undefined while the COPY data goes on; once
   * CopyDone or an ErrorResponse arrives, the bytes from the message after CopyDone (or from the
   * ErrorResponse) on, for the client's own parser.
   */
  feed(chunk: Buffer): Buffer | undefined {
    let pos = 0;
    const carried = this.#carry;
    if (carried.length > 0) {
      // Complete the carried message with the head of this chunk; the rest is parsed in place.
      if (carried.length < 5) {
        const take = Math.min(5 - carried.length, chunk.length);
        carried.append(chunk, 0, take);
        pos = take;
        if (carried.length < 5) return undefined;
      }
      const total = 1 + carried.bytes.readUInt32BE(1);
      const take = Math.min(total - carried.length, chunk.length - pos);
      carried.append(chunk, pos, pos + take);
      pos += take;
      if (carried.length < total) return undefined;
      const carry = carried.bytes;
      carried.clear();
      const r = this.#message(carry, 0, total);
      if (r === COPY_DONE) return chunk.subarray(pos);
      if (r === ERROR_RESPONSE) return Buffer.concat([carry.subarray(0, total), chunk.subarray(pos)]);
    }
    const n = chunk.length;
    while (pos < n) {
      const end = n - pos < 5 ? n + 1 : pos + 1 + ((chunk[pos + 1]! << 24) | (chunk[pos + 2]! << 16) | (chunk[pos + 3]! << 8) | chunk[pos + 4]!);
      if (end > n) {
        carried.append(chunk, pos, n);
        return undefined;
      }
      const r = this.#message(chunk, pos, end);
      if (r === COPY_DONE) return chunk.subarray(end);
      if (r === ERROR_RESPONSE) return chunk.subarray(pos);
      pos = end;
    }
    return undefined;
  }

  /** One whole message in `buf[start, end)`; returns its code when it ends the COPY. */
  #message(buf: Buffer, start: number, end: number): number | undefined {
    const code = buf[start]!;
    if (code === COPY_DATA) this.#data(buf, start + 5, end);
    else if (code === COPY_DONE || code === ERROR_RESPONSE) return code;
    // Anything else (CopyOutResponse, notices, parameter status) needs nothing from us.
    return undefined;
  }

  /** COPY stream bytes `buf[p, end)`. */
  #data(buf: Buffer, p: number, end: number): void {
    if (this.#trailer) return;
    if (this.#pending.length > 0 || !this.#headerDone) {
      this.#pending.append(buf, p, end);
      this.#drainPending();
      return;
    }
    while (p < end) {
      const e = tupleEnd(buf, p, end);
      if (e === -1) { this.#pending.append(buf, p, end); return; }
      if (e === TRAILER) { this.#trailer = true; return; }
      this.#onTuple(buf, p, e);
      p = e;
    }
  }

  /** Hands over the whole tuples gathered in `#pending` and keeps the incomplete rest. */
  #drainPending(): void {
    const buf = this.#pending.bytes;
    const end = this.#pending.length;
    let p = 0;
    if (!this.#headerDone) {
      if (end < HEADER) return;
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('unexpected COPY binary header');
      const start = HEADER + buf.readUInt32BE(15);
      if (end < start) return;
      this.#headerDone = true;
      p = start;
    }
    while (p < end) {
      const e = tupleEnd(buf, p, end);
      if (e === -1) break;
      if (e === TRAILER) { this.#trailer = true; p = end; break; }
      this.#onTuple(buf, p, e);
      p = e;
    }
    this.#pending.consume(p);
  }
}

/**
 * Bytes gathered across chunks in `bytes[0, length)`, grown by doubling (a large value arrives in
 * many chunks). The buffer is kept for the next use: nearly every socket chunk ends inside a message,
 * and a fresh 4 KiB Buffer each time was an ArrayBuffer of its own (allocUnsafe pools only smaller
 * ones), ~0.1 s of a 5 M-row profile plus its share of garbage collection. Only a large one (a
 * big value) is let go.
 */
class Gathered {
  bytes: Buffer = EMPTY;
  length = 0;

  append(src: Buffer, start: number, end: number): void {
    const len = end - start;
    if (this.length + len > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(4096, (this.length + len) * 2));
      this.bytes.copy(bigger, 0, 0, this.length);
      this.bytes = bigger;
    }
    src.copy(this.bytes, this.length, start, end);
    this.length += len;
  }

  /** Drops the first `n` bytes. */
  consume(n: number): void {
    if (n === this.length) this.clear();
    else if (n > 0) {
      this.bytes.copy(this.bytes, 0, n, this.length);
      this.length -= n;
    }
  }

  clear(): void {
    if (this.bytes.length > KEEP) this.bytes = EMPTY;
    this.length = 0;
  }
}

const EMPTY = Buffer.alloc(0);
/** The largest gathering buffer kept for reuse. */
const KEEP = 64 * 1024;
const TRAILER = -2;

/** The end of the tuple at `pos`, -1 when it does not end before `limit`, TRAILER at the end-of-data marker. */
function tupleEnd(buf: Buffer, pos: number, limit: number): number {
  if (limit - pos < 2) return -1;
  const fields = (buf[pos]! << 8) | buf[pos + 1]!;
  if (fields === 0xffff) return TRAILER;
  let p = pos + 2;
  for (let f = 0; f < fields; f++) {
    if (limit - p < 4) return -1;
    const len = (buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
    p += 4;
    if (len > 0) {
      if (limit - p < len) return -1;
      p += len;
    }
  }
  return p;
}
