import type { Stop } from './stop.js';

/**
 * The time limits of a run: a deadline for the whole run, and a heartbeat that expires when the
 * connector has been silent too long. While a consumer holds the connector back (backpressure) the
 * heartbeat does not run: the silence is ours, not the connector's.
 */
export class Watchdog {
  readonly #limits: { timeoutMs?: number; heartbeatMs?: number };
  readonly #expire: (stop: Stop) => void;
  #deadline: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #paused = false;
  #stopped = false;

  constructor(limits: { timeoutMs?: number; heartbeatMs?: number }, expire: (stop: Stop) => void) {
    this.#limits = limits;
    this.#expire = expire;
  }

  start(): void {
    const { timeoutMs } = this.#limits;
    if (timeoutMs) this.#deadline = setTimeout(() => this.#expire({ kind: 'timeout', what: 'timeout', ms: timeoutMs }), timeoutMs);
    this.beat();
  }

  /** A sign of life: output read, or input taken. */
  beat(): void {
    const { heartbeatMs } = this.#limits;
    if (!heartbeatMs || this.#paused || this.#stopped) return;
    if (this.#heartbeat) this.#heartbeat.refresh();
    else this.#heartbeat = setTimeout(() => this.#expire({ kind: 'timeout', what: 'heartbeat', ms: heartbeatMs }), heartbeatMs);
  }

  pause(): void {
    this.#paused = true;
    clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  resume(): void {
    this.#paused = false;
    this.beat();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#deadline);
    clearTimeout(this.#heartbeat);
  }
}
