import type { AirbyteStateMessage } from '../../protocol/index.js';

/** Read-only view of the `--state` array a source was started with. */
export class StateView {
  readonly #streams = new Map<string, Record<string, unknown>>();
  readonly messages: readonly AirbyteStateMessage[];
  /** The shared part of a GLOBAL state (e.g. a CDC log position), undefined without one. */
  readonly shared: Record<string, unknown> | undefined;

  constructor(messages: readonly AirbyteStateMessage[] = []) {
    this.messages = messages;
    const global = messages.find((m) => m.type === 'GLOBAL');
    this.shared = (global?.global?.shared_state ?? undefined) as Record<string, unknown> | undefined;
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

  /** Whether the run started from a GLOBAL state (a source that changed methods may need to know). */
  get isGlobal(): boolean {
    return this.messages.some((m) => m.type === 'GLOBAL');
  }
}

function key(name: string, namespace: string | undefined | null): string {
  return namespace == null ? name : `${namespace}\u0000${name}`;
}
