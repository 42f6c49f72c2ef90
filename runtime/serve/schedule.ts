import { Cron } from 'croner';

/** setTimeout's longest delay (about 24.8 days): a later run is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A connection's cron schedule, evaluated in UTC unless the expression says otherwise. croner only
 * computes the times; the server owns the timers, so stopping it stops them.
 */
export class Schedule {
  readonly #cron: Cron;

  constructor(readonly expression: string) {
    this.#cron = new Cron(expression, { paused: true, timezone: 'UTC' });
  }

  /** The next run strictly after `from` (undefined for a pattern that never fires again). */
  next(from: Date = new Date()): Date | undefined {
    return this.#cron.nextRun(from) ?? undefined;
  }

  /**
   * Waits for the next run (plus a random jitter of at most `jitterMs`, and at most a quarter of the
   * interval, so schedules that fire together do not hit a source at the same instant), unless the
   * signal stops it. Resolves with the planned time, or undefined when stopped or never again.
   */
  async wait(jitterMs: number, signal: AbortSignal, onPlanned?: (at: Date) => void): Promise<Date | undefined> {
    const next = this.next();
    if (!next || signal.aborted) return undefined;
    const after = this.next(next);
    const spread = Math.min(jitterMs, after ? (after.getTime() - next.getTime()) / 4 : jitterMs);
    const at = new Date(next.getTime() + Math.floor(Math.random() * spread));
    onPlanned?.(at);
    while (Date.now() < at.getTime()) {
      if (!(await sleep(Math.min(at.getTime() - Date.now(), MAX_TIMER_MS), signal))) return undefined;
    }
    return at;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
