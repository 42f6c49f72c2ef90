import { Pushgateway, type Registry } from 'prom-client';
import { MetricsOutputError } from '../../protocol/index.js';

/**
 * Pushes a batch job's metrics to a Prometheus Pushgateway, grouped as job="airdock" and the
 * connection, with PUT: the group is replaced, so a stream that is gone does not linger.
 */
export async function pushMetrics(url: string, registry: Registry, connection: string, timeoutMs = 10_000): Promise<void> {
  let host: string;
  try {
    host = new URL(url).host;
  } catch (err) {
    throw new MetricsOutputError('The Pushgateway address is not a URL', { cause: err, hint: 'Give it as http://host:9091' });
  }
  const gateway = new Pushgateway(url, { timeout: timeoutMs }, registry);
  try {
    await gateway.push({ jobName: 'airdock', groupings: { connection } });
  } catch (err) {
    // The gateway's answer is kept as the cause only: the URL may carry credentials.
    const status = /status (\d+)/.exec((err as Error).message)?.[1];
    throw new MetricsOutputError('The metrics could not be pushed', {
      cause: err, context: { host, ...(status ? { status: Number(status) } : { reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }) },
    });
  }
}
