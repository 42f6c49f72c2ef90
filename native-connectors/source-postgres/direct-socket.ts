import net, { type OnReadOpts, type SocketConstructorOpts } from 'node:net';

/** Takes the bytes of one read (valid during the call only); returns false to stop reading until `resume()`. */
export type ByteSink = (bytes: Buffer) => boolean;

/** Big enough for what the kernel has queued on a busy COPY (Node's own reads take 64 KiB). */
const READ_BUFFER = 256 * 1024;

/**
 * A plain TCP socket for node-postgres (its `stream` option) that reads into one buffer of its own,
 * reused for every read (Node's documented `onread` option), instead of a fresh ArrayBuffer per read
 * passed through a Readable stream.
 *
 * While `sink` is set (a binary COPY being read, BinaryCopyOut) each read goes to it where it lies.
 * Otherwise node-postgres gets a copy of the bytes as a 'data' event, as from a plain socket.
 *
 * Why: a 5 M-row snapshot reads ~30,000 chunks; each was an ArrayBuffer the garbage collector had to
 * free (external memory: full collections) and a trip through the stream's buffering (measured in
 * bench/RESULTS.md, issue 13). TLS connections keep Node's own socket: TLS reads the handle itself.
 */
export class DirectSocket extends net.Socket {
  sink: ByteSink | undefined;

  constructor() {
    const self: { socket?: DirectSocket } = {};
    // `onread` is documented for the constructor but missing from @types/node's SocketConstructorOpts.
    super(<SocketConstructorOpts & { onread: OnReadOpts }>{
      onread: { buffer: Buffer.allocUnsafe(READ_BUFFER), callback: (n: number, buf: Uint8Array) => self.socket!.#read(buf.subarray(0, n) as Buffer) },
    });
    self.socket = this;
  }

  #read(bytes: Buffer): boolean {
    if (this.sink) return this.sink(bytes);
    this.emit('data', Buffer.from(bytes));
    return true;
  }
}
