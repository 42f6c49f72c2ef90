import type { RemoteFile } from './object-listing.js';

/** The official cursor's state: `history` maps each synced key to its last-modified time. */
export interface FileCursorState {
  history?: Record<string, string>;
  _ab_source_file_last_modified?: string | null;
}

const MAX_HISTORY = 10_000;
const DAY_MS = 86_400_000;

/** `%Y-%m-%dT%H:%M:%S.%fZ`: the official connector's timestamp format (microseconds, UTC). */
export function formatModified(d: Date): string {
  return `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000Z`;
}

function parseModified(s: string): Date {
  return new Date(s.replace(/(\.\d{3})\d*Z$/, '$1Z'));
}

/**
 * The file-based CDK's default cursor, state shape and rules included, so a state written by the
 * official connector is accepted and ours is accepted by it: a file is synced when it is not in the
 * history or was modified since; once the history holds 10,000 files, the oldest entry is dropped and
 * files older than the oldest entry (or `days_to_sync_if_history_is_full` days) are skipped.
 */
export class FileCursor {
  readonly #history: Map<string, string>;
  readonly #windowMs: number;
  readonly #initialEarliest: { uri: string; at: Date } | undefined;
  readonly #startTime: Date;
  /** Files of this read not finished yet (read in parallel, they finish out of order). */
  readonly #pending = new Map<string, RemoteFile>();

  constructor(state: FileCursorState | undefined, daysIfHistoryIsFull = 3) {
    this.#history = new Map(Object.entries(state?.history ?? {}));
    this.#windowMs = (daysIfHistoryIsFull > 0 ? daysIfHistoryIsFull : 3) * DAY_MS;
    this.#initialEarliest = this.#earliest();
    this.#startTime = this.#computeStartTime();
  }

  get historyIsFull(): boolean {
    return this.#history.size >= MAX_HISTORY;
  }

  shouldSync(f: RemoteFile): boolean {
    const seen = this.#history.get(f.uri);
    if (seen !== undefined) return f.lastModified > parseModified(seen);
    if (!this.historyIsFull || !this.#initialEarliest) return true;
    const e = this.#initialEarliest;
    if (f.lastModified > e.at) return true;
    if (f.lastModified.getTime() === e.at.getTime()) return f.uri > e.uri;
    return f.lastModified >= this.#startTime;
  }

  /** The files this read is about to read: until each is added, the cursor stays at the earliest of them. */
  setPending(files: readonly RemoteFile[]): void {
    this.#pending.clear();
    for (const f of files) this.#pending.set(f.uri, f);
  }

  add(f: RemoteFile): void {
    this.#pending.delete(f.uri);
    this.#history.set(f.uri, formatModified(f.lastModified));
    if (this.#history.size > MAX_HISTORY) {
      const oldest = this.#earliest();
      if (oldest) this.#history.delete(oldest.uri);
    }
  }

  state(): FileCursorState {
    // As the CDK's concurrent cursor: with files still pending, the finished ones may not be a contiguous
    // run, so the cursor only goes up to the earliest pending file (all older ones are done).
    let earliestPending: RemoteFile | undefined;
    for (const p of this.#pending.values()) if (!earliestPending || p.lastModified < earliestPending.lastModified) earliestPending = p;
    if (earliestPending) {
      return { history: Object.fromEntries(this.#history), _ab_source_file_last_modified: `${formatModified(earliestPending.lastModified)}_${earliestPending.uri}` };
    }
    let best: [string, string] | undefined;
    for (const [uri, at] of this.#history) {
      if (!best || at > best[1] || (at === best[1] && uri > best[0])) best = [uri, at];
    }
    return { history: Object.fromEntries(this.#history), _ab_source_file_last_modified: best ? `${best[1]}_${best[0]}` : null };
  }

  #earliest(): { uri: string; at: Date } | undefined {
    let best: [string, string] | undefined;
    for (const [uri, at] of this.#history) {
      if (!best || at < best[1] || (at === best[1] && uri < best[0])) best = [uri, at];
    }
    return best ? { uri: best[0], at: parseModified(best[1]) } : undefined;
  }

  #computeStartTime(): Date {
    const e = this.#earliest();
    if (!e) return new Date(0);
    if (!this.historyIsFull) return e.at;
    const window = new Date(Date.now() - this.#windowMs);
    return e.at < window ? e.at : window;
  }
}
