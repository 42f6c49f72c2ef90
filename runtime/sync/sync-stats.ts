import { parseStreamKey, streamKey } from '../../protocol/index.js';

export type StreamStatus = 'pending' | 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';

/** Per-stream counters of one sync (all attempts). Plain fields: they are bumped once per record. */
export interface StreamStats {
  key: string;
  name: string;
  namespace: string | undefined;
  recordsEmitted: number;
  bytesEmitted: number;
  recordsCommitted: number;
  status: StreamStatus;
  rowEstimate: number | undefined;
  byteEstimate: number | undefined;
  /** Records since this stream's last STATE (sourceStats.recordCount of a STREAM state). */
  sinceState: number;
  /** Records since the last STATE of any stream (the bucket committed with that state). */
  bucket: number;
}

export class SyncStats {
  readonly streams = new Map<string, StreamStats>();
  readonly startedAt = Date.now();

  get(key: string): StreamStats {
    let s = this.streams.get(key);
    if (!s) {
      const d = parseStreamKey(key);
      s = { key, name: d.name, namespace: d.namespace, recordsEmitted: 0, bytesEmitted: 0, recordsCommitted: 0, status: 'pending', rowEstimate: undefined, byteEstimate: undefined, sinceState: 0, bucket: 0 };
      this.streams.set(key, s);
    }
    return s;
  }

  of(name: string, namespace: string | undefined): StreamStats {
    return this.get(streamKey(namespace === undefined ? { name } : { name, namespace }));
  }

  get recordsEmitted(): number { let n = 0; for (const s of this.streams.values()) n += s.recordsEmitted; return n; }
  get recordsCommitted(): number { let n = 0; for (const s of this.streams.values()) n += s.recordsCommitted; return n; }
  get bytesEmitted(): number { let n = 0; for (const s of this.streams.values()) n += s.bytesEmitted; return n; }
}
