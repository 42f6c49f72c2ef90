import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { MetricsOutputError } from '../../protocol/index.js';

/**
 * Writes the metrics for node_exporter's textfile collector: to a temp file in the same folder, then
 * renamed over the target, so the collector never reads half a file (its docs ask for exactly this).
 */
export async function writeMetricsFile(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(temp, 'w', 0o644);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    throw new MetricsOutputError('The metrics file cannot be written', { cause: err, context: { path, reason: (err as NodeJS.ErrnoException).code } });
  }
}
