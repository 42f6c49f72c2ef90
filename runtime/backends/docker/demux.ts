import { PassThrough, Writable, type Readable } from 'node:stream';

/**
 * Splits Docker's multiplexed attach stream (Tty false: each frame is an 8-byte header — stream type,
 * 3 zero bytes, big-endian length — then the payload) into stdout and stderr.
 *
 * Hand-written instead of `modem.demuxStream` for backpressure: that one writes to its outputs without
 * waiting, so a connector faster than its consumer (a read into a slow destination) would grow our
 * memory without bound. Here the attach socket is paused until the slower output drains. Payloads are
 * forwarded as views into the socket's chunks, never copied.
 */
export class DockerDemuxer extends Writable {
  readonly stdout = new PassThrough({ highWaterMark: 1024 * 1024 });
  readonly stderr = new PassThrough({ highWaterMark: 256 * 1024 });
  #header = Buffer.alloc(8);
  #headerFill = 0;
  #remaining = 0;
  #target: PassThrough | undefined;

  constructor() {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    let pos = 0;
    let blocked: PassThrough | undefined;
    while (pos < chunk.length) {
      if (this.#remaining === 0) {
        const take = Math.min(8 - this.#headerFill, chunk.length - pos);
        chunk.copy(this.#header, this.#headerFill, pos, pos + take);
        this.#headerFill += take;
        pos += take;
        if (this.#headerFill < 8) break;
        this.#headerFill = 0;
        const type = this.#header[0];
        this.#remaining = this.#header.readUInt32BE(4);
        // Type 0 (stdin echo) never happens with Tty false; anything unknown goes to stderr rather than corrupt stdout.
        this.#target = type === 1 ? this.stdout : this.stderr;
        continue;
      }
      const take = Math.min(this.#remaining, chunk.length - pos);
      const target = this.#target!;
      if (!target.write(chunk.subarray(pos, pos + take))) blocked = target;
      this.#remaining -= take;
      pos += take;
    }
    if (blocked && !blocked.destroyed) {
      const b = blocked;
      const done = () => { b.off('drain', done); b.off('close', done); callback(); };
      b.on('drain', done);
      b.on('close', done);
    } else {
      callback();
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.stdout.end();
    this.stderr.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // After a normal finish (autoDestroy) the outputs hold unread data: leave them to their readers.
    if (error || !this.writableFinished) {
      this.stdout.destroy();
      this.stderr.destroy();
    }
    callback(error);
  }
}

/** Pipes `stream` through a demuxer; `ended` resolves when the container's output has ended. */
export function demux(stream: Readable): { stdout: PassThrough; stderr: PassThrough; ended: Promise<void> } {
  const d = new DockerDemuxer();
  stream.pipe(d);
  const ended = new Promise<void>((resolve) => {
    d.once('finish', resolve);
    d.once('close', resolve);
    stream.once('error', () => { d.end(); resolve(); });
  });
  return { stdout: d.stdout, stderr: d.stderr, ended };
}
