import type { AirbyteTraceMessage } from '../../protocol/index.js';
import type { InputMessage, RecordRun } from './define-destination.js';
import { DestinationInput } from './destination-input.js';
import type { Emitter } from './emitter.js';
import { StreamEnds } from './stream-ends.js';

/** What a destination plugs into {@link writeWithBarrier}. */
export interface BarrierSink {
  /**
   * Takes one RECORD (`message.type === 'RECORD'`). Buffer it or write it; return a promise only to
   * make the reader wait (backpressure). A throw fails the sync; nothing after it is acknowledged.
   */
  write(input: InputMessage): void | Promise<void>;
  /**
   * Optional: takes a run of adjacent RECORD lines of one stream as they arrived (see RecordRun), for
   * sinks that store lines as they are. When set, and the input is the connector's stdin, records
   * come here instead of to `write` except the few lines the run reader leaves to the per-line path.
   */
  writeRun?(run: RecordRun): void | Promise<void>;
  /**
   * Optional, with writeRun: the sink checks each run line's `data` (RecordRun.fields, DATA_START to
   * DATA_END) strictly, as it reads every value anyway, and decodes a line whose range is not exactly
   * one JSON object with classifyLine, as the per-line path would, taking what that gives (a line it
   * drops is dropped). The run reader then does not scan `data` when it is the record's last field:
   * it takes `data` as ending before the line's closing `}}`, which the sink's check confirms. (That
   * scan cost destination-postgres ~0.25 of its ~1.9 CPU-s per million rows, its encoder reads `data`
   * anyway.)
   */
  checksRunData?: boolean;
  /**
   * Makes every record passed to `write` so far complete and durable: write out buffers, check that
   * every byte went out (no short writes), fsync, COMMIT. `final` is true once, after the last
   * record: finish the sync there (swap an overwrite table in, drop old generations) so the last
   * STATEs are echoed only when the data is in place. A throw fails the sync and no STATE after
   * the previous successful commit is ever echoed.
   *
   * `ends` says how each stream's input ended. At the final commit, an overwrite stream whose
   * source did not finish (`!ends.complete(...)`) must keep its previous data: drop what this sync
   * staged for it instead of swapping it in.
   */
  commit(final: boolean, ends: StreamEnds): Promise<void>;
  /**
   * Optional: rejects when the sink fails on its own, between writes (an asynchronous send the
   * broker refused). The barrier then stops at once instead of at the next input line, which a
   * quiet source may never send.
   */
  failed?: Promise<never>;
}

export interface WriteBarrierOptions {
  /** Commit after this many records since the last commit (default 100,000). */
  maxRecords?: number;
  /** Commit after this many input bytes since the last commit (default 64 MiB). */
  maxBytes?: number;
  /** A STATE waits at most this long for its commit, also when the source goes quiet (default 1,000 ms). */
  maxDelayMs?: number;
  /**
   * The same bound for the sync's first commit only (default `maxDelayMs`). A sink whose commits
   * cost much (DuckDB) can commit rarely yet still commit early: a short sync or one that fails
   * soon after it started (a full disk) keeps its first batch.
   */
  firstDelayMs?: number;
  /**
   * Let the next batch be written while the previous commit still runs (default false). For sinks
   * whose commit hands the batch to another thread or server (DuckDB loads a staged file): `commit`
   * must take its batch synchronously, before its first await, and may be called again only after
   * it resolved (the barrier waits). STATEs are still echoed only when their own commit has ended.
   */
  overlap?: boolean;
  /**
   * With `overlap`: also commit as soon as the previous commit has ended and at least this many
   * records wait (default: never). A sink that loads in its own threads (DuckDB) then loads while
   * the input still comes, instead of leaving most of it to one load after the source has ended;
   * batch sizes follow the sink's pace. `maxRecords`, `maxBytes` and the delays still bound a batch.
   */
  eagerRecords?: number;
  /**
   * With `overlap`: when `maxRecords` or `maxBytes` is reached while the previous commit still runs,
   * the batch goes on taking records up to this many (default `maxRecords`: it waits for that commit
   * instead). Commits run one at a time, so waiting stops the input while one long commit (a
   * destination-postgres dedup merge) runs alone; grown instead, the batch is committed at its first
   * record or run after that commit has ended. `maxBytes` still bounds it. A STATE is echoed, as ever,
   * only once its batch has committed.
   */
  maxRecordsWhileLoading?: number;
}

export interface BarrierStats { records: number; states: number; commits: number }

/**
 * The write barrier of every native destination: reads the input, hands RECORDs to `sink.write`,
 * and echoes each STATE only after `sink.commit` has made every record before it durable. The
 * runtime commits a source state when it sees the echo, so a crash, a full disk or a lost
 * connection at any point loses no acknowledged record: the rerun starts from the last echoed state.
 *
 * Commits are batched: on a STATE once `maxRecords`, `maxBytes` or `maxDelayMs` (`firstDelayMs` for
 * the first commit) is reached, on a timer when a STATE waits and the source is quiet, after
 * `maxRecords`/`maxBytes` even without a STATE (to bound a batch), with `eagerRecords` as soon as the previous
 * commit has ended, and once at the end with `final = true`. Unless `overlap` is set,
 * `commit` never runs while `write` does. STATEs are echoed byte for byte (unknown keys such as the
 * runtime's id survive).
 *
 * @example
 * await writeWithBarrier(input, emit, {
 *   write({ raw, record }) { file.append(raw.subarray(...record!.dataRange)); },
 *   async commit(final) { await file.flushAndSync(); if (final) await file.close(); },
 * });
 */
export async function writeWithBarrier(input: AsyncIterable<InputMessage>, emit: Emitter, sink: BarrierSink, options: WriteBarrierOptions = {}): Promise<BarrierStats> {
  const maxRecords = options.maxRecords ?? 100_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxDelayMs = options.maxDelayMs ?? 1_000;
  const firstDelayMs = options.firstDelayMs ?? maxDelayMs;
  /** Commits started so far: the first one may come sooner (firstDelayMs). */
  let started = 0;
  const delayMs = () => (started === 0 ? firstDelayMs : maxDelayMs);
  const overlap = options.overlap ?? false;
  const eagerRecords = overlap ? options.eagerRecords ?? Number.POSITIVE_INFINITY : Number.POSITIVE_INFINITY;
  const stats: BarrierStats = { records: 0, states: 0, commits: 0 };
  const ends = new StreamEnds();
  let pending: Buffer[] = [];
  let records = 0;
  let bytes = 0;
  let lastCommitAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  /** The loop is waiting for input: a timer commit cannot interleave with a write. */
  let idle = false;
  let due = false;
  let inflight: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;

  /** overlap: the commit still loading (its STATEs are echoed when it ends), or a resolved promise. */
  let previous: Promise<void> = Promise.resolve();
  /** A commit has started and not ended yet. */
  let loading = false;
  const growRecords = overlap ? options.maxRecordsWhileLoading ?? maxRecords : maxRecords;
  /** The previous commit still runs and the batch may still grow meanwhile (maxRecordsWhileLoading; never without it). */
  const growing = () => growRecords > maxRecords && loading && records < growRecords && bytes < maxBytes;
  /** When a commit starts after a record or a run: a bound is reached, or the sink is free (eagerRecords). */
  const batchDue = () => ((records >= maxRecords || bytes >= maxBytes) && !growing()) || (records >= eagerRecords && !loading);

  const commit = async (final: boolean): Promise<void> => {
    if (timer) { clearTimeout(timer); timer = undefined; }
    due = false;
    // Taken before the commit: a STATE that arrives meanwhile belongs to the next batch.
    const states = pending;
    pending = [];
    records = 0;
    bytes = 0;
    // At most one batch loads while the next one is written; its failure stops everything.
    await previous;
    if (failure) throw failure.error;
    lastCommitAt = Date.now();
    started++;
    loading = true;
    const echoed = sink.commit(final, ends).then(async () => {
      stats.commits++;
      for (const raw of states) {
        const wait = emit.raw(`${raw.toString('utf8')}\n`);
        if (wait) await wait;
      }
      stats.states += states.length;
      await emit.flush();
    });
    // A STATE's timer that fired while the batch grew (see growing) commits now that the sink is free.
    if (overlap && !final) previous = echoed.then(() => { loading = false; if (due) onTimer(); }, (error: unknown) => { loading = false; failure = { error }; });
    else await echoed.finally(() => { loading = false; });
  };
  const onTimer = () => {
    timer = undefined;
    if (!idle || inflight) { due = true; return; }
    inflight = commit(false).catch((error: unknown) => { failure = { error }; }).finally(() => { inflight = undefined; });
  };

  // A sink failure wakes the loop while it waits for input. One reaction on `sink.failed`, not a
  // Promise.race per line: each race would leave a reaction on that never-settling promise (a leak).
  let wake: ((error: unknown) => void) | undefined;
  let sinkFailure: { error: unknown } | undefined;
  sink.failed?.catch((error: unknown) => { sinkFailure = { error }; wake?.(error); });
  const nextInput = <T>(it: AsyncIterator<T>): Promise<IteratorResult<T>> => {
    if (!sink.failed) return it.next();
    return new Promise((resolve, reject) => {
      if (sinkFailure) { reject(sinkFailure.error); return; }
      wake = reject;
      it.next().then(resolve, reject);
    });
  };

  // Runs of records a chunk at a time when the sink takes them: no promise or object per record.
  const batched = sink.writeRun !== undefined && input instanceof DestinationInput;
  const it: AsyncIterator<InputMessage | (InputMessage | RecordRun)[]> = batched ? input.runs({ sinkChecksData: sink.checksRunData === true })[Symbol.asyncIterator]() : input[Symbol.asyncIterator]();
  const one: (InputMessage | RecordRun)[] = [];
  try {
    for (;;) {
      idle = true;
      const next = await nextInput(it);
      wake = undefined;
      idle = false;
      if (inflight) await inflight;
      if (failure) throw failure.error;
      if (next.done) break;
      let items = next.value;
      if (!Array.isArray(items)) { one[0] = items; items = one; }
      for (const item of items) {
        if (batched && 'count' in item) {
          const m = item;
          const wait = sink.writeRun!(m);
          if (wait) await wait;
          stats.records += m.count;
          records += m.count;
          bytes += m.bytes.length - m.count;
          if (batchDue() || (due && !growing())) await commit(false);
          continue;
        }
        const m = item as InputMessage;
        if (m.record !== undefined || m.message.type === 'RECORD') {
          // `record` is set for every RECORD line; testing it first keeps `message` unparsed.
          const wait = sink.write(m);
          if (wait) await wait;
          stats.records++;
          records++;
          bytes += m.raw.length;
          if (batchDue()) await commit(false);
        } else if (m.message.type === 'STATE') {
          // `raw` may be a view into the reader's chunk: copy it, it outlives this iteration.
          pending.push(Buffer.from(m.raw));
          if ((records >= maxRecords || bytes >= maxBytes || Date.now() - lastCommitAt >= delayMs()) && !growing()) await commit(false);
          else timer ??= setTimeout(onTimer, delayMs());
        } else if (m.message.type === 'TRACE') {
          const status = (m.message.trace as AirbyteTraceMessage).stream_status;
          if (status) ends.note(status);
        }
        if (due && !growing()) await commit(false);
      }
    }
    await commit(true);
  } finally {
    if (timer) clearTimeout(timer);
    if (inflight) await inflight;
    await previous;
  }
  return stats;
}
