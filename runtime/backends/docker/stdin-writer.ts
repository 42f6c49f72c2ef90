import { Writable, type Duplex } from 'node:stream';

/**
 * The container's stdin: writes go into the hijacked attach socket, `end()` half-closes it, which the
 * connector reads as EOF. On backpressure the write waits for the socket's 'drain' or 'close',
 * with both listeners removed as soon as either fires: listeners left on the socket for each wait
 * would pile up over a long write (a leak, and Node's MaxListenersExceededWarning on stderr).
 */
export function stdinWriter(stream: Duplex): Writable {
  stream.on('error', () => {});
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk, _enc, cb) {
      // A closed socket means the container is gone: its exit status tells what happened; the input is moot.
      if (stream.destroyed || stream.closed) { cb(); return; }
      if (stream.write(chunk)) { cb(); return; }
      const resume = () => {
        stream.off('drain', resume);
        stream.off('close', resume);
        cb();
      };
      stream.on('drain', resume);
      stream.on('close', resume);
    },
    final(cb) {
      stream.end();
      cb();
    },
  });
}
