import {
  StateSet, stateKind, streamKey, stringifyJson, toStoredState,
  type AirbyteStateMessage, type StreamDescriptor,
} from '../../protocol/index.js';
import type { StreamStats, SyncStats } from './sync-stats.js';

interface Pending {
  id: number;
  kind: string;
  /** streamKey for STREAM states; '' for GLOBAL and LEGACY. */
  key: string;
  stored: string;
  /** Records and bytes per stream emitted since the previous state (any stream): committed with this state. */
  bucket: [StreamStats, number, number][];
  /** When the source emitted it (performance.now()), for the source→commit lag. */
  at: number;
}

/**
 * The bookkeeping between a source's STATEs and a destination's echoes (the platform's StateEnricher,
 * StatsTracker and Aggregator in one). A source state gets an `id` and, when missing,
 * `sourceStats.recordCount` (records of that stream since its previous state; GLOBAL/LEGACY: of all
 * streams), and waits. An echo commits its state into the committed StateSet and every record bucket
 * up to it. An echo whose id was dropped (a destination that re-serialises with a typed model) is
 * matched by position: the oldest pending state with the same content, else the oldest of the same
 * stream. Unknown ids are only a warning, as on the platform.
 */
export class StateTracker {
  readonly committed: StateSet;
  readonly #stats: SyncStats;
  #nextId = 1;
  #pending: Pending[] = [];
  #sinceAnyState = 0;
  #dirty = false;
  /** Told after each acknowledged state is committed (the flusher saves it soon). */
  onCommit: (() => void) | undefined;
  readonly #warn: (message: string) => void;
  statesEmitted = 0;
  statesCommitted = 0;

  constructor(initial: StateSet, stats: SyncStats, warn: (message: string) => void = () => {}) {
    this.committed = initial;
    this.#stats = stats;
    this.#warn = warn;
  }

  /** Called once per forwarded RECORD: four increments, no lookups. */
  record(s: StreamStats, bytes: number): void {
    s.sinceState++;
    s.bucket++;
    s.byteBucket += bytes;
    this.#sinceAnyState++;
  }

  /** Enriches a source state in place (id, sourceStats.recordCount) and queues it. */
  sourceState(state: AirbyteStateMessage): AirbyteStateMessage {
    const kind = stateKind(state);
    const key = kind === 'STREAM' && state.stream ? streamKey(state.stream.stream_descriptor) : '';
    const id = this.#nextId++;
    (state as { id?: number }).id = id;
    let count: number;
    if (kind === 'STREAM') {
      const s = this.#stats.get(key);
      count = s.sinceState;
      s.sinceState = 0;
    } else {
      count = this.#sinceAnyState;
      for (const s of this.#stats.streams.values()) s.sinceState = 0;
    }
    this.#sinceAnyState = kind === 'STREAM' ? this.#sinceAnyState : 0;
    if (state.sourceStats?.recordCount === undefined) state.sourceStats = { ...state.sourceStats, recordCount: count };
    const bucket: [StreamStats, number, number][] = [];
    for (const s of this.#stats.streams.values()) {
      if (s.bucket > 0) {
        bucket.push([s, s.bucket, s.byteBucket]);
        s.bucket = 0;
        s.byteBucket = 0;
      }
    }
    this.#pending.push({ id, kind, key, stored: stringifyJson(toStoredState(state)), bucket, at: performance.now() });
    this.statesEmitted++;
    return state;
  }

  /**
   * A state the destination echoed. `unmap` turns the destination's (mapped) STREAM descriptor back
   * into the source's. Returns false when the echo matches nothing pending.
   */
  ack(echo: AirbyteStateMessage, unmap: (d: StreamDescriptor) => StreamDescriptor = (d) => d): boolean {
    const kind = stateKind(echo);
    let state = echo;
    if (kind === 'STREAM' && echo.stream?.stream_descriptor) {
      state = { ...echo, stream: { ...echo.stream, stream_descriptor: unmap(echo.stream.stream_descriptor) } };
    }
    const rawId = (echo as { id?: unknown }).id;
    let index: number;
    if (rawId !== undefined && rawId !== null) {
      const n = Number(rawId);
      index = this.#pending.findIndex((p) => p.id === n);
      if (index === -1) {
        this.#warn(`the destination acknowledged a state id that is not pending (id ${String(n)}); ignored`);
        return false;
      }
    } else {
      const stored = stringifyJson(toStoredState(state));
      index = this.#pending.findIndex((p) => p.stored === stored);
      if (index === -1) {
        const key = kind === 'STREAM' && state.stream ? streamKey(state.stream.stream_descriptor) : '';
        index = this.#pending.findIndex((p) => p.kind === kind && p.key === key);
      }
      if (index === -1) {
        this.#warn('the destination echoed a state that matches no pending state; ignored');
        return false;
      }
    }
    const done = this.#pending.splice(0, index + 1);
    for (const p of done) {
      for (const [s, n, bytes] of p.bucket) {
        s.recordsCommitted += n;
        s.bytesCommitted += bytes;
      }
    }
    // Commit the echoed state as the source wrote it: the stored form drops id and the stats.
    this.committed.apply(state);
    this.statesCommitted++;
    this.#stats.stateCommitted(performance.now() - done[done.length - 1]!.at);
    this.#dirty = true;
    this.onCommit?.();
    return true;
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  markDirty(): void {
    this.#dirty = true;
  }

  /** True once since the last call when something new was committed. */
  takeDirty(): boolean {
    const d = this.#dirty;
    this.#dirty = false;
    return d;
  }

  /** A new attempt starts from the committed state: what was pending will be re-sent. */
  resetPending(): void {
    this.#pending = [];
    this.#sinceAnyState = 0;
    for (const s of this.#stats.streams.values()) { s.sinceState = 0; s.bucket = 0; s.byteBucket = 0; }
  }
}
