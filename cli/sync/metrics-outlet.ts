import { SyncMetrics } from '../../runtime/metrics/sync-metrics.js';
import { outcomeOfError, outcomeOfSummary } from '../../runtime/metrics/sync-outcome.js';
import { pushMetrics } from '../../runtime/metrics/push-metrics.js';
import { writeMetricsFile } from '../../runtime/metrics/write-metrics-file.js';
import type { SyncEventListener } from '../../runtime/sync/sync-events.js';
import type { SyncSummary } from '../../runtime/sync/sync-summary.js';

/**
 * Where `airdock sync` sends its metrics when asked (`--metrics-file`, `--metrics-push`): one registry
 * per run, written or pushed once the sync has ended.
 */
export class MetricsOutlet {
  readonly #metrics: SyncMetrics;
  readonly #connection: string;
  readonly #flags: { metricsFile?: string; metricsPush?: string };
  readonly #startedAt = Date.now();
  #sent = false;

  private constructor(connection: string, flags: { metricsFile?: string; metricsPush?: string }) {
    this.#connection = connection;
    this.#flags = flags;
    this.#metrics = new SyncMetrics();
  }

  static async open(connection: string, flags: { metricsFile?: string; metricsPush?: string }): Promise<MetricsOutlet | undefined> {
    return flags.metricsFile || flags.metricsPush ? new MetricsOutlet(connection, flags) : undefined;
  }

  watch(next: SyncEventListener): SyncEventListener {
    return this.#metrics.watch(this.#connection, next);
  }

  async finished(summary: SyncSummary): Promise<void> {
    this.#metrics.finished(this.#connection, outcomeOfSummary(summary));
    await this.#send();
  }

  /** For a sync that threw before its attempts (sent at most once). */
  async failed(err: unknown): Promise<void> {
    if (this.#sent) return;
    this.#metrics.finished(this.#connection, outcomeOfError(err, this.#startedAt));
    await this.#send();
  }

  async #send(): Promise<void> {
    this.#sent = true;
    const text = await this.#metrics.text();
    const file = this.#flags.metricsFile;
    const url = this.#flags.metricsPush;
    const results = await Promise.allSettled([
      file ? writeMetricsFile(file, text) : undefined,
      url ? pushMetrics(url, this.#metrics.registry, this.#connection) : undefined,
    ]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }
}
