import type { Emitter, InputMessage } from '../sdk/index.js';

/**
 * Stand-in for the SDK's shared write barrier (same shape: `write` each RECORD, `commit` makes them
 * durable, a STATE is echoed only after a commit that followed it) until that lands on main; then
 * this file goes and the import moves to the SDK. Commits are batched: at a STATE once 100k records or
 * 1 s have passed since the last commit, on a timer when the source goes quiet, and at the end.
 */
export async function writeWithBarrier(
  input: AsyncIterable<InputMessage>, emit: Emitter,
  sink: {
    write(m: InputMessage): void | Promise<void>;
    commit(final: boolean): Promise<void>;
    /** Rejects when the sink fails on its own (an async send): the write stops at once, not at the next input line. */
    failed?: Promise<never>;
  },
): Promise<{ records: number; states: number }> {
  const stats = { records: 0, states: 0 };
  let pending: Buffer[] = [];
  let since = 0;
  let lastCommit = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let fail!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => { fail = reject; });
  failed.catch(() => {});
  sink.failed?.catch(fail);
  // serialised, so a timer commit never runs while the loop writes
  const commit = (final: boolean) => (chain = chain.then(async () => {
    if (timer) { clearTimeout(timer); timer = undefined; }
    const states = pending;
    pending = [];
    since = 0;
    await sink.commit(final);
    lastCommit = Date.now();
    for (const raw of states) { const w = emit.raw(`${raw.toString('utf8')}\n`); if (w) await w; }
    stats.states += states.length;
    await emit.flush();
  }));
  const it = input[Symbol.asyncIterator]();
  try {
    for (;;) {
      // a source that goes quiet must not hide a failed send or commit until its next line
      const next = await Promise.race([it.next(), failed]);
      await chain;
      if (next.done) break;
      const m = next.value;
      if (m.message.type === 'RECORD') {
        const w = sink.write(m);
        if (w) await w;
        stats.records++;
        since++;
      } else if (m.message.type === 'STATE') {
        pending.push(Buffer.from(m.raw));
        if (since >= 100_000 || Date.now() - lastCommit >= 1_000) await commit(false);
        else timer ??= setTimeout(() => { timer = undefined; commit(false).catch(fail); }, 1_000);
      }
    }
    await Promise.race([chain, failed]);
    await commit(true);
  } finally {
    if (timer) clearTimeout(timer);
    // not awaited: a generator parked on stdin only returns at its next line; run-cli closes stdin
    void it.return?.();
  }
  return stats;
}
