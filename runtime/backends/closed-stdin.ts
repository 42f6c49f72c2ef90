import { Writable } from 'node:stream';

/** The stdin of a connector that reads none: already ended, writes are dropped. */
export function closedStdin(): Writable {
  const w = new Writable({ write: (_c, _e, cb) => cb() });
  w.end();
  return w;
}
