import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { drainStream, type ClickHouseSettings } from '@clickhouse/client';
import type { OpenedClickHouse } from '../sdk/clickhouse/open-clickhouse.js';

/** Text is gathered into chunks of about this size before it is written to the request body. */
const CHUNK = 256 * 1024;

/**
 * One INSERT whose body is streamed while records arrive: the request starts at once, rows are written
 * into it as JSONCompactEachRow lines, and `end()` resolves when the server has acknowledged every row.
 * Memory stays bounded whatever the batch size: a full pipe pauses the writer until the socket drains.
 */
export class StreamingInsert {
  readonly #body = new PassThrough({ highWaterMark: 1024 * 1024 });
  readonly #done: Promise<void>;
  #failed: unknown;
  #pending = '';
  rows = 0;
  bytes = 0;
  readonly startedAt = Date.now();

  constructor(ch: OpenedClickHouse, query: string, settings: ClickHouseSettings, signal: AbortSignal) {
    this.#done = ch.client.exec({ query, values: this.#body, clickhouse_settings: settings, abort_signal: signal })
      .then((r) => drainStream(r.stream))
      .catch((error: unknown) => {
        this.#failed = error;
        this.#body.destroy();
        throw error;
      });
    // end() reports the failure; until then a rejection must not count as unhandled.
    this.#done.catch(() => {});
  }

  /** Adds one line; returns a promise only when the caller must wait (the request body is full). */
  write(line: string): Promise<void> | undefined {
    this.#pending += line;
    this.rows++;
    this.bytes += line.length;
    if (this.#pending.length < CHUNK) return undefined;
    return this.#push();
  }

  #push(): Promise<void> | undefined {
    if (this.#failed !== undefined) return this.#done;
    const chunk = this.#pending;
    this.#pending = '';
    if (this.#body.write(chunk)) return undefined;
    // Wait for room, or for the request to fail (then nobody reads the body any more).
    return Promise.race([once(this.#body, 'drain').then(() => undefined), this.#done]);
  }

  /** Sends what is left and waits for the server's acknowledgement (throws what the server said). */
  async end(): Promise<void> {
    if (this.#pending.length > 0) await this.#push();
    this.#body.end();
    await this.#done;
  }
}
