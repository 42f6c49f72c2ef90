import { fstatSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';

/**
 * Each of the reader's two areas. Reading goes on while the destination waits (for PostgreSQL to
 * take a COPY chunk, for a commit), up to what the areas hold: the source keeps running then
 * instead of blocking on a full 64 KiB pipe.
 */
const AREA_BYTES = 4 << 20;
/** Reading moves to the other area when less than this is left in the current one. */
const MIN_READ_BYTES = 64 << 10;

/**
 * A byte source that can also hand out its chunks as views of reused memory, each valid only
 * until the next chunk is asked for (DestinationInput.runs reads such a source so).
 */
export interface ReusedChunks extends AsyncIterable<Buffer> {
  views(): AsyncIterable<Buffer>;
}

export function hasViews(source: AsyncIterable<Buffer>): source is ReusedChunks {
  return typeof (source as Partial<ReusedChunks>).views === 'function';
}

/** Bytes read and not handed out yet: [start, end) of one area. */
interface Region { area: number; start: number; end: number }

/**
 * A destination's stdin (a pipe or a socket, as the runtime and a shell give it) read into two
 * areas of memory that every read reuses. Node's own stdin reads each chunk into a fresh 64 KiB
 * Buffer; at thousands of chunks a second their external memory sets off a full (mark-compact) GC
 * every few dozen chunks: ~15-23 per million rows in destination-postgres, 9 per 400k records in
 * destination-duckdb.
 *
 * Reading does not wait for the destination to ask: while it waits on its database, stdin is read
 * on into the areas (one after the other, up to both), so the source is not blocked on a full pipe
 * meanwhile; what came in is handed out as one view at the next ask (many reads in one chunk).
 * Reading stops only when neither area has room, and goes on once the destination has taken the
 * bytes in the way.
 *
 * `views()` yields views of the areas: a chunk is valid only until the next one is asked for (the
 * run reader of DestinationInput.runs takes it so). Iterated directly, it yields copies, safe to
 * keep for as long as one likes. Read it one way only, once.
 */
export class StdinReader implements ReusedChunks {
  readonly #areas: Buffer[];
  readonly #minRead: number;
  readonly #socket: Socket;
  /** The area being read into, and where the next read goes in it. */
  #fill = 0;
  #at = 0;
  /** Read and not handed out yet, oldest first (at most one region per area). */
  readonly #ready: Region[] = [];
  /** The area of the view the destination holds (until it asks again), or -1. */
  #held = -1;
  /** Reading stopped: the area it goes on in (#fill) is still held or has bytes not handed out. */
  #stopped = false;
  /** The ask waiting for a read. */
  #wake: ((region: Region | undefined) => void) | undefined;
  #fail: ((error: unknown) => void) | undefined;
  #ended = false;
  #error: { error: unknown } | undefined;

  /** The reader of `fd`, or undefined when it is not a pipe or a socket (a file, a terminal, closed). */
  static open(fd = 0, areaBytes = AREA_BYTES): StdinReader | undefined {
    try {
      const st = fstatSync(fd);
      return st.isFIFO() || st.isSocket() ? new StdinReader(fd, areaBytes) : undefined;
    } catch {
      return undefined;
    }
  }

  private constructor(fd: number, areaBytes: number) {
    this.#areas = [Buffer.allocUnsafe(areaBytes), Buffer.allocUnsafe(areaBytes)];
    this.#minRead = Math.min(MIN_READ_BYTES, areaBytes >> 2);
    // As Node makes process.stdin for a pipe, with `onread` (documented for the constructor; not in
    // @types/node's SocketConstructorOpts): libuv reads into the buffer that `buffer` gives (asked
    // again after every read), the callback's `false` stops reading until resume().
    this.#socket = new Socket(<SocketConstructorOpts & { onread: OnReadOpts }>{
      fd,
      readable: true,
      writable: false,
      onread: {
        buffer: () => this.#areas[this.#fill]!.subarray(this.#at),
        callback: (n: number) => this.#onRead(n),
      },
    });
    // 'close' without 'end' or 'error' is our own destroy(): nothing more comes.
    const end = () => {
      this.#ended = true;
      const wake = this.#wake;
      this.#wake = this.#fail = undefined;
      wake?.(undefined);
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

  /** Each chunk as a view of the reader's memory, valid until the next chunk is asked for. */
  async *views(): AsyncGenerator<Buffer> {
    for (;;) {
      const r = await this.#next();
      if (r === undefined) return;
      yield this.#areas[r.area]!.subarray(r.start, r.end);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for await (const view of this.views()) yield Buffer.from(view);
  }

  /** Stops reading and closes stdin: a writer still writing gets EPIPE instead of blocking. */
  destroy(): void {
    this.#socket.destroy();
  }

  /**
   * `n` bytes came in at #at of the fill area (called before `buffer` is asked for the next read's
   * memory); false stops reading when no area has room for the next read.
   */
  #onRead(n: number): boolean {
    const region = { area: this.#fill, start: this.#at, end: this.#at + n };
    this.#at += n;
    const wake = this.#wake;
    if (wake) {
      this.#wake = this.#fail = undefined;
      this.#held = region.area;
      wake(region);
    } else {
      const last = this.#ready[this.#ready.length - 1];
      if (last && last.area === region.area && last.end === region.start) last.end = region.end;
      else this.#ready.push(region);
    }
    if (this.#areas[this.#fill]!.length - this.#at >= this.#minRead) return true;
    // Reading goes on at the start of the other area, once nothing there is still needed.
    this.#fill ^= 1;
    this.#at = 0;
    this.#stopped = !this.#free(this.#fill);
    return !this.#stopped;
  }

  /** Nothing in the area is held by the destination or waits to be handed out. */
  #free(area: number): boolean {
    return this.#held !== area && !this.#ready.some((r) => r.area === area);
  }

  /** The next bytes read (the view asked for before is given up), undefined at the end. */
  #next(): Promise<Region | undefined> {
    this.#held = -1;
    const region = this.#ready.shift();
    if (region !== undefined) this.#held = region.area;
    if (this.#stopped && this.#free(this.#fill)) {
      this.#stopped = false;
      this.#socket.resume();
    }
    if (region !== undefined) return Promise.resolve(region);
    if (this.#error) return Promise.reject(this.#error.error);
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise<Region | undefined>((resolve, reject) => {
      this.#wake = resolve;
      this.#fail = reject;
    });
  }
}
