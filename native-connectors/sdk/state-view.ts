import type { AirbyteStateMessage } from '../../protocol/index.js';

/** Read-only view of the `--state` array a source was started with. */
export class StateView {
  readonly #streams = new Map<string, Record<string, unknown>>();
  readonly messages: readonly AirbyteStateMessage[];

  constructor(messages: readonly AirbyteStateMessage[] = []) {
    this.messages = messages;
    for (const m of messages) {
      const streams = m.type === 'GLOBAL' ? (m.global?.stream_states ?? []) : m.stream ? [m.stream] : [];
      for (const s of streams) {
        if (s?.stream_state) this.#streams.set(key(s.stream_descriptor.name, s.stream_descriptor.namespace), s.stream_state as Record<string, unknown>);
      }
    }
  }

  /** The last state of a stream, or undefined when it has none (first sync or reset). */
  get<T = Record<string, unknown>>(stream: string, namespace?: string): T | undefined {
    return this.#streams.get(key(stream, namespace)) as T | undefined;
  }
}

function key(name: string, namespace: string | undefined | null): string {
  return namespace == null ? name : `${namespace}\u0000${name}`;
}
