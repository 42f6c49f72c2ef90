import { AbortedError } from '../../protocol/index.js';

/**
 * The input, ending with AbortedError as soon as the signal fires: a write interrupted by SIGTERM must
 * stop (and abort its uploads) even while the source keeps stdin open and silent.
 */
export async function* abortable<T>(input: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new AbortedError('The write was interrupted'));
    if (signal.aborted) fail(); else signal.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => {});
  const it = input[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([it.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    void it.return?.();
  }
}
