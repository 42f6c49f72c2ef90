import type { AirbyteStreamStatusTraceMessage } from '../../protocol/index.js';

/**
 * How each stream's input ended, from the STREAM_STATUS messages a destination receives. airdock's
 * sync (like the Airbyte platform for destinations that support refreshes) sends COMPLETE for every
 * stream after a clean source and, unlike the platform, INCOMPLETE after a failed one, so an
 * overwrite never swaps in what a failed source managed to send. A stream with no status at all
 * (a caller that sends none, e.g. `airdock write` by hand) counts as complete: the end of the input
 * is then the only signal there is, as with destinations that predate stream statuses.
 */
export class StreamEnds {
  readonly #last = new Map<string, string>();

  note(status: AirbyteStreamStatusTraceMessage): void {
    this.#last.set(key(status.stream_descriptor.name, status.stream_descriptor.namespace), status.status);
  }

  /** True when the stream's last status is COMPLETE, or when it had none; false after INCOMPLETE (or only STARTED/RUNNING). */
  complete(name: string, namespace?: string | null): boolean {
    const last = this.#last.get(key(name, namespace));
    return last === undefined || last === 'COMPLETE';
  }
}

const key = (name: string, namespace: string | null | undefined) => (namespace == null || namespace === '' ? name : `${namespace}\u0000${name}`);
