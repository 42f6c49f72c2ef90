import type { Logger } from '../../runtime/log/logger.js';
import type { SyncEvent } from '../../runtime/sync/sync-events.js';
import type { SyncStats } from '../../runtime/sync/sync-stats.js';

type Bars = typeof import('cli-progress');

export interface Progress {
  stop(): void;
}

export interface ProgressOptions {
  tty: boolean;
  log: Logger;
  intervalMs?: number;
  stream?: NodeJS.WriteStream;
  setLogSink?: (sink: ((line: string) => void) | undefined) => void;
}

/**
 * A sync event listener that shows progress from 'started' to 'ended'. The bar library is loaded
 * here, before the sync starts, so the listener itself can be synchronous. `stop()` is idempotent
 * (call it in a finally: a sync that throws never sends 'ended').
 */
export async function progressListener(options: ProgressOptions): Promise<{ onEvent: (e: SyncEvent) => void; stop: () => void }> {
  const lib: Bars | undefined = options.tty ? (await import('cli-progress')).default : undefined;
  let running: Progress | undefined;
  const stop = () => { running?.stop(); running = undefined; };
  return {
    onEvent: (e) => {
      if (e.type === 'started') running ??= startProgress(e.stats, options, lib);
      else if (e.type === 'ended') stop();
    },
    stop,
  };
}

/**
 * On a terminal: one cli-progress bar per stream (records, MB, rate, ETA when the source sent an
 * ESTIMATE). Otherwise one log line every `intervalMs`. Both read the counters; nothing on the hot path.
 */
function startProgress(stats: SyncStats, options: ProgressOptions, lib: Bars | undefined): Progress {
  if (!lib) {
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
  const { MultiBar, Presets } = lib;
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
