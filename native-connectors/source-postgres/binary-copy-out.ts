import type { Readable } from 'node:stream';
import { CopyOutParser, type TupleHandler } from './copy-out-parser.js';
import { DirectSocket } from './direct-socket.js';

/** The parts of node-postgres' Connection this uses (the same ones pg-copy-streams takes over). */
interface PgConnection {
  stream: Readable;
  query(text: string): void;
}

/**
 * `COPY ... TO STDOUT (FORMAT binary)` as a node-postgres submittable (`client.query(copy)`): while
 * the COPY runs it reads the connection's socket itself (a DirectSocket's reads through its `sink`;
 * any other socket, e.g. TLS, in paused mode, as pg-copy-streams does), and hands each tuple to
 * `onTuple` where it lies (CopyOutParser). After each socket chunk `afterChunk` may return
 * a promise (the output is waiting on stdout): reading stops until it settles, so a slow consumer
 * slows the server through TCP. `done` settles when the server ends the statement; output left
 * after the last chunk is the caller's to flush.
 */
export class BinaryCopyOut {
  readonly done: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: unknown) => void;
  readonly #parser: CopyOutParser;
  readonly #afterChunk: () => Promise<void> | undefined;
  #connection: PgConnection | undefined;
  #pgDataHandler: ((chunk: Buffer) => void) | undefined;
  #waiting = false;
  /** Set once the socket is handed back to the client, or the read failed. */
  #finished = false;
  readonly #onReadable = () => this.#pump();

  constructor(readonly text: string, onTuple: TupleHandler, afterChunk: () => Promise<void> | undefined) {
    this.#parser = new CopyOutParser(onTuple);
    this.#afterChunk = afterChunk;
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.done.catch(() => {}); // the caller awaits it; never an unhandled rejection meanwhile
  }

  submit(connection: PgConnection): void {
    this.#connection = connection;
    const stream = connection.stream;
    if (stream instanceof DirectSocket) {
      stream.sink = (bytes) => this.#take(bytes);
      connection.query(this.text);
      return;
    }
    const handlers = stream.listeners('data');
    if (handlers.length !== 1) throw new Error('unexpected connection listeners');
    this.#pgDataHandler = handlers[0] as (chunk: Buffer) => void;
    stream.removeListener('data', this.#pgDataHandler);
    stream.pause();
    stream.on('readable', this.#onReadable);
    connection.query(this.text);
  }

  /**
   * Stops reading and fails `done` (an abort, or an error of ours while encoding). The connection is
   * left in the middle of the COPY: the caller must not reuse it (its socket is closed here).
   */
  fail(error: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#reject(error);
    const stream = this.#connection?.stream;
    if (stream) {
      if (stream instanceof DirectSocket) stream.sink = undefined;
      stream.removeListener('readable', this.#onReadable);
      stream.destroy();
    }
  }

  /** One read of a DirectSocket, parsed where it lies; false stops reading while stdout is waiting. */
  #take(bytes: Buffer): boolean {
    const stream = this.#connection!.stream as DirectSocket;
    if (this.#finished) return true;
    let wait: Promise<void> | undefined;
    try {
      const rest = this.#parser.feed(bytes);
      if (rest !== undefined) {
        this.#handBack(rest);
        return true;
      }
      wait = this.#afterChunk();
    } catch (error) {
      this.fail(error);
      return false;
    }
    if (!wait) return true;
    wait.then(() => { if (!this.#finished) stream.resume(); }, (error: unknown) => this.fail(error));
    return false;
  }

  #pump(): void {
    const stream = this.#connection!.stream;
    while (!this.#finished && !this.#waiting) {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return;
      let wait: Promise<void> | undefined;
      try {
        const rest = this.#parser.feed(chunk);
        if (rest !== undefined) {
          this.#handBack(rest);
          return;
        }
        wait = this.#afterChunk();
      } catch (error) {
        this.fail(error);
        return;
      }
      if (wait) {
        this.#waiting = true;
        wait.then(() => { this.#waiting = false; this.#pump(); }, (error: unknown) => this.fail(error));
      }
    }
  }

  /** Gives the socket back to the client with the bytes after the COPY data (CommandComplete or the error). */
  #handBack(rest: Buffer): void {
    const stream = this.#connection!.stream;
    if (stream instanceof DirectSocket) {
      stream.sink = undefined;
      // Bytes of its own: the socket's buffer is filled again by the next read.
      if (rest.length > 0) stream.emit('data', Buffer.from(rest));
      return;
    }
    stream.removeListener('readable', this.#onReadable);
    stream.on('data', this.#pgDataHandler!);
    if (rest.length > 0) this.#pgDataHandler!(rest);
    // The client's handler may pause the stream itself; resume once it has run, as pg-copy-streams does.
    process.nextTick(() => stream.resume());
  }

  // node-postgres calls these once it parses the messages after the COPY data.
  handleError(error: unknown): void {
    this.#finished = true;
    this.#reject(error);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.#finished = true;
    if (!this.#parser.trailer) this.#reject(new Error('COPY ended without its end-of-data marker'));
    else this.#resolve();
  }
}
