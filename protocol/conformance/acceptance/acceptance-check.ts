import type { ConformanceCheck } from '../conformance-check.js';

/** A check named as CAT names its test (`test_check`), as JUnit and `--json` show it. */
export const check = (name: string, run: () => Promise<void> | void): ConformanceCheck => ({ name, run: async () => { await run(); } });

/** Memoises an async step shared by several checks of one suite (one `spec` run, one `read`). */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** At most `n` items of a list, and how many more there were. */
export function firstOf(items: readonly string[], n = 5): string {
  return items.slice(0, n).join('; ') + (items.length > n ? `; and ${items.length - n} more` : '');
}
