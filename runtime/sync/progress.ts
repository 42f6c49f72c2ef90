import type { Logger } from '../log/logger.js';
import type { SyncStats } from './sync-stats.js';

export interface Progress {
  stop(): void;
}

/**
 * On a terminal: one cli-progress bar per stream (records, MB, rate, ETA when the source sent an
 * ESTIMATE). Otherwise one log line every `intervalMs`. Both read the counters; nothing on the hot path.
 */
export async function startProgress(stats: SyncStats, options: { tty: boolean; log: Logger; intervalMs?: number; stream?: NodeJS.WriteStream; setLogSink?: (sink: ((line: string) => void) | undefined) => void }): Promise<Progress> {
  if (!options.tty) {
    let lastRecords = 0;
    let lastAt = Date.now();
    const interval = options.intervalMs ?? 5000;
    const timer = setInterval(() => {
      const now = Date.now();
      const records = stats.recordsEmitted;
      const rate = ((records - lastRecords) * 1000) / Math.max(1, now - lastAt);
      lastRecords = records;
      lastAt = now;
      options.log.info(`progress: ${records.toLocaleString('en-US')} records, ${mb(stats.bytesEmitted)} MB emitted, ${stats.recordsCommitted.toLocaleString('en-US')} committed, ${Math.round(rate).toLocaleString('en-US')} records/s`);
    }, interval);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
  const { MultiBar, Presets } = (await import('cli-progress')).default;
  const multi = new MultiBar({
    format: ' {stream} |{bar}| {value} records | {mb} MB | {rate} rec/s | ETA {eta_formatted}',
    hideCursor: true, clearOnComplete: false, stopOnComplete: false, stream: options.stream ?? process.stderr, etaBuffer: 50,
  }, Presets.shades_classic);
  // Log lines go above the bars instead of through them.
  options.setLogSink?.((line) => multi.log(line));
  const bars = new Map<string, ReturnType<typeof multi.create>>();
  const started = Date.now();
  const timer = setInterval(() => {
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    for (const s of stats.streams.values()) {
      const label = s.namespace ? `${s.namespace}.${s.name}` : s.name;
      const payload = { stream: label.padEnd(20).slice(0, 20), mb: mb(s.bytesEmitted), rate: Math.round(s.recordsEmitted / secs) };
      let bar = bars.get(s.key);
      if (!bar) {
        bar = multi.create(s.rowEstimate ?? 0, s.recordsEmitted, payload);
        bars.set(s.key, bar);
      }
      if (s.rowEstimate && bar.getTotal() !== s.rowEstimate) bar.setTotal(s.rowEstimate);
      if (!s.rowEstimate && bar.getTotal() < s.recordsEmitted) bar.setTotal(s.recordsEmitted);
      bar.update(s.recordsEmitted, payload);
    }
  }, 200);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      multi.stop();
      options.setLogSink?.(undefined);
    },
  };
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
