import { once } from 'node:events';
import { encodeMessage, type AirbyteMessage } from '../../protocol/index.js';
import type { ConnectorProcess } from './backend.js';
import type { RunInput } from './launch-spec.js';

/**
 * Feeds `input` to the connector's stdin with backpressure (a slow connector slows the input, memory
 * stays flat) and closes stdin at the end. If the input itself fails, `onFailure` is told: the
 * connector must be stopped rather than see a truncated input end as success.
 */
export async function pumpInput(proc: ConnectorProcess, input: RunInput, o: { onActivity: () => void; onFailure: (err: unknown) => void }): Promise<void> {
  const stdin = proc.stdin;
  const exited = proc.wait().then(() => 'exited' as const);
  try {
    for await (const item of input as AsyncIterable<AirbyteMessage | Uint8Array | string>) {
      if (stdin.destroyed || stdin.writableEnded) break;
      const chunk = typeof item === 'string' || item instanceof Uint8Array ? item : encodeMessage(item);
      o.onActivity();
      if (!stdin.write(chunk)) {
        // Backpressure: wait for the connector to read, unless it dies first.
        const r = await Promise.race([once(stdin, 'drain').then(() => 'drain' as const, () => 'exited' as const), exited]);
        if (r === 'exited') break;
      }
    }
  } catch (err) {
    o.onFailure(err);
  } finally {
    if (!stdin.destroyed) stdin.end();
  }
}
