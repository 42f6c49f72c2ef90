export interface RunPoolOptions {
  /** How many tasks run at once (at least 1). */
  concurrency: number;
  /** Aborting it stops handing out tasks and aborts the signal every running task got. */
  signal?: AbortSignal;
}

/**
 * Runs `worker` over `items` with at most `concurrency` at once, in order of `items`. The first
 * failure aborts the signal the other workers were given and is rethrown once they have all
 * settled, so nothing is left running when this returns or throws. Workers get backpressure for
 * free by awaiting the Emitter (its promises resolve only when stdout drains).
 * @example
 * await runPool(chunks, async (chunk, signal) => readChunk(chunk, signal), { concurrency: 4, signal: ctx.signal });
 */
export async function runPool<T>(items: Iterable<T>, worker: (item: T, signal: AbortSignal, index: number) => Promise<void>, o: RunPoolOptions): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  const iterator = items[Symbol.iterator]();
  let index = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    for (;;) {
      if (controller.signal.aborted) return;
      const next = iterator.next();
      if (next.done) return;
      try {
        await worker(next.value, controller.signal, index++);
      } catch (error) {
        failure ??= { error };
        controller.abort(error);
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.floor(o.concurrency)) }, lane));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure.error;
  o.signal?.throwIfAborted();
}
