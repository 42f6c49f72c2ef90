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
  // Backpressure waits end when the connector exits. An abort signal, not a Promise.race against the
  // exit per wait: each race would leave a reaction on the exit promise for the rest of the run
  // (~300 B per wait, 59 MB over 200k waits).
  const exited = new AbortController();
  void proc.wait().then(() => exited.abort(), () => exited.abort());
  try {
    for await (const item of input as AsyncIterable<AirbyteMessage | Uint8Array | string>) {
      if (stdin.destroyed || stdin.writableEnded || exited.signal.aborted) break;
      const chunk = typeof item === 'string' || item instanceof Uint8Array ? item : encodeMessage(item);
      o.onActivity();
      if (!stdin.write(chunk)) {
        // Wait for the connector to read, unless it dies (or its stdin fails) first.
        const drained = await once(stdin, 'drain', { signal: exited.signal }).then(() => true, () => false);
        if (!drained) break;
      }
    }
  } catch (err) {
    o.onFailure(err);
  } finally {
    if (!stdin.destroyed) stdin.end();
  }
}
