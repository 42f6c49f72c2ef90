import { fstatSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';

/** One read takes at most this much; a pipe gives up to 64 KiB, a socket pair (Node's spawn) more. */
const READ_BYTES = 256 * 1024;

/**
 * A byte source that can also hand out its chunks as views of one reused buffer, each valid only
 * until the next chunk is asked for (DestinationInput.runs reads such a source so).
 */
export interface ReusedChunks extends AsyncIterable<Buffer> {
  views(): AsyncIterable<Buffer>;
}

export function hasViews(source: AsyncIterable<Buffer>): source is ReusedChunks {
  return typeof (source as Partial<ReusedChunks>).views === 'function';
}

/**
 * A destination's stdin (a pipe or a socket, as the runtime and a shell give it) read into one buffer
 * that every read reuses. Node's own stdin reads each chunk into a fresh 64 KiB Buffer; at thousands
 * of chunks a second their external memory sets off a full (mark-compact) GC every few dozen chunks:
 * ~15-23 per million rows in destination-postgres, 9 per 400k records in destination-duckdb.
 *
 * `views()` yields the reused buffer itself: a chunk is valid only until the next one is asked for
 * (the run reader of DestinationInput.runs takes it so). Iterated directly, it yields copies, safe to
 * keep for as long as one likes. Read it one way only, once.
 */
export class StdinReader implements ReusedChunks {
  readonly #buffer = Buffer.allocUnsafe(READ_BYTES);
  readonly #socket: Socket;
  /** The read that ends the current wait: its byte count, 0 at the end, or the stream's error. */
  #wake: ((n: number) => void) | undefined;
  /** A chunk read before anyone asked (a socket starts reading when made); it stops after one. */
  #unclaimed = 0;
  #fail: ((error: unknown) => void) | undefined;
  #ended = false;
  #error: { error: unknown } | undefined;

  /** The reader of `fd`, or undefined when it is not a pipe or a socket (a file, a terminal, closed). */
  static open(fd = 0): StdinReader | undefined {
    try {
      const st = fstatSync(fd);
      return st.isFIFO() || st.isSocket() ? new StdinReader(fd) : undefined;
    } catch {
      return undefined;
    }
  }

  private constructor(fd: number) {
    // As Node makes process.stdin for a pipe, with `onread` (documented for the constructor; not in
    // @types/node's SocketConstructorOpts): libuv reads into our buffer, and the callback's `false`
    // stops reading until the next chunk is asked for (resume).
    this.#socket = new Socket(<SocketConstructorOpts & { onread: OnReadOpts }>{
      fd,
      readable: true,
      writable: false,
      onread: {
        buffer: this.#buffer,
        callback: (n: number) => {
          const wake = this.#wake;
          this.#wake = this.#fail = undefined;
          if (wake) wake(n);
          else this.#unclaimed = n;
          return false;
        },
      },
    });
    // 'close' without 'end' or 'error' is our own destroy(): nothing more comes.
    const end = () => {
      this.#ended = true;
      const wake = this.#wake;
      this.#wake = this.#fail = undefined;
      wake?.(0);
    };
    this.#socket.on('end', end);
    this.#socket.on('close', end);
    this.#socket.on('error', (error) => {
      this.#error = { error };
      const fail = this.#fail;
      this.#wake = this.#fail = undefined;
      fail?.(error);
    });
  }

  /** Each chunk as a view of the one reused buffer, valid until the next chunk is asked for. */
  async *views(): AsyncGenerator<Buffer> {
    for (;;) {
      const n = await this.#read();
      if (n === 0) return;
      yield this.#buffer.subarray(0, n);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for await (const view of this.views()) yield Buffer.from(view);
  }

  /** Stops reading and closes stdin: a writer still writing gets EPIPE instead of blocking. */
  destroy(): void {
    this.#socket.destroy();
  }

  #read(): Promise<number> {
    if (this.#unclaimed > 0) {
      const n = this.#unclaimed;
      this.#unclaimed = 0;
      return Promise.resolve(n);
    }
    if (this.#error) return Promise.reject(this.#error.error);
    if (this.#ended) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      this.#wake = resolve;
      this.#fail = reject;
      this.#socket.resume();
    });
  }
}
