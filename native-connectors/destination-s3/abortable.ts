import { AbortedError } from '../../protocol/index.js';

/**
 * The input, ending with AbortedError as soon as the signal fires: a write interrupted by SIGTERM must
 * stop (and abort its uploads) even while the source keeps stdin open and silent.
 *
 * One abort listener for the whole input, not a Promise.race per item: each race leaves a reaction on
 * the never-settling abort promise, and that reaction keeps the item (and the input chunk its bytes
 * are a view of) alive until the write ends: 200k records held ~400 MB.
 */
export async function* abortable<T>(input: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const interrupted = () => new AbortedError('The write was interrupted');
  let rejectWaiting: ((error: unknown) => void) | undefined;
  const onAbort = () => rejectWaiting?.(interrupted());
  signal.addEventListener('abort', onAbort, { once: true });
  const it = input[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (signal.aborted) throw interrupted();
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        rejectWaiting = reject;
        it.next().then(resolve, reject);
      });
      rejectWaiting = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    rejectWaiting = undefined;
    signal.removeEventListener('abort', onAbort);
    void it.return?.();
  }
}
