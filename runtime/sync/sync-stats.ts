import { parseStreamKey, streamKey } from '../../protocol/index.js';
import type { SyncEvent, SyncEventListener } from './sync-events.js';

export type StreamStatus = 'pending' | 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';

/** Per-stream counters of one sync (all attempts). Plain fields: they are bumped once per record. */
export interface StreamStats {
  key: string;
  name: string;
  namespace: string | undefined;
  recordsEmitted: number;
  bytesEmitted: number;
  recordsCommitted: number;
  bytesCommitted: number;
  status: StreamStatus;
  rowEstimate: number | undefined;
  byteEstimate: number | undefined;
  /** Records since this stream's last STATE (sourceStats.recordCount of a STREAM state). */
  sinceState: number;
  /** Records since the last STATE of any stream (the bucket committed with that state). */
  bucket: number;
  /** Bytes of those records. */
  byteBucket: number;
}

/** One failed attempt, as the platform counts failures: who failed and what kind of failure it was. */
export interface AttemptFailureFact {
  attempt: number;
  origin: string;
  failureType: string;
}

/**
 * The live counters of one sync. Per-record counters are plain fields (read them on a timer); the
 * rarer facts (an attempt starts or fails, a connector is up, a state is committed) go through
 * methods that also tell the listener, so a metrics registry can observe each one as it happens.
 */
export class SyncStats {
  readonly streams = new Map<string, StreamStats>();
  readonly startedAt = Date.now();
  attempts = 0;
  readonly failures: AttemptFailureFact[] = [];
  /** How long each connector took to start (process spawned, container running), per attempt. */
  readonly connectorStarts: { attempt: number; side: 'source' | 'destination'; ms: number }[] = [];
  /** Time from a source emitting a state to the destination acknowledging it. */
  readonly commitLag = { count: 0, sumMs: 0, maxMs: 0 };
  readonly #listener: SyncEventListener | undefined;

  constructor(listener?: SyncEventListener) {
    this.#listener = listener;
  }

  get(key: string): StreamStats {
    let s = this.streams.get(key);
    if (!s) {
      const d = parseStreamKey(key);
      s = {
        key, name: d.name, namespace: d.namespace, recordsEmitted: 0, bytesEmitted: 0, recordsCommitted: 0, bytesCommitted: 0,
        status: 'pending', rowEstimate: undefined, byteEstimate: undefined, sinceState: 0, bucket: 0, byteBucket: 0,
      };
      this.streams.set(key, s);
    }
    return s;
  }

  of(name: string, namespace: string | undefined): StreamStats {
    return this.get(streamKey(namespace === undefined ? { name } : { name, namespace }));
  }

  attemptStarted(attempt: number): void {
    this.attempts = attempt;
    this.#emit({ type: 'attempt-started', attempt });
  }

  attemptFailed(attempt: number, origin: string, failureType: string): void {
    this.failures.push({ attempt, origin, failureType });
    this.#emit({ type: 'attempt-failed', attempt, origin, failureType });
  }

  connectorStarted(side: 'source' | 'destination', ms: number): void {
    this.connectorStarts.push({ attempt: this.attempts, side, ms });
    this.#emit({ type: 'connector-started', side, seconds: ms / 1000 });
  }

  stateCommitted(lagMs: number): void {
    const l = this.commitLag;
    l.count++;
    l.sumMs += lagMs;
    if (lagMs > l.maxMs) l.maxMs = lagMs;
    this.#emit({ type: 'state-committed', lagSeconds: lagMs / 1000 });
  }

  #emit(event: SyncEvent): void {
    this.#listener?.(event);
  }

  get recordsEmitted(): number { let n = 0; for (const s of this.streams.values()) n += s.recordsEmitted; return n; }
  get recordsCommitted(): number { let n = 0; for (const s of this.streams.values()) n += s.recordsCommitted; return n; }
  get bytesEmitted(): number { let n = 0; for (const s of this.streams.values()) n += s.bytesEmitted; return n; }
  get bytesCommitted(): number { let n = 0; for (const s of this.streams.values()) n += s.bytesCommitted; return n; }
}
