import type { AirbyteStateMessage, AirbyteStateType } from '../generated/types.js';
import { StateInvalidError } from '../errors/index.js';
import { streamKey } from './stream-key.js';

/**
 * The committed state of one connection: what the next run passes as `--state`.
 *
 * STREAM states merge per stream (latest wins; a null `stream_state` resets that stream). GLOBAL and
 * LEGACY are one opaque object each: the latest replaces the previous, kept byte-for-byte as the
 * connector wrote it (numbers included, see parseJson). Mixing kinds in one connection is refused,
 * as the platform does, because there is no right way to combine them.
 */
export class StateSet {
  #kind: AirbyteStateType | undefined;
  #streams = new Map<string, AirbyteStateMessage>();
  #single: AirbyteStateMessage | undefined;

  static from(states: readonly AirbyteStateMessage[]): StateSet {
    const set = new StateSet();
    for (const s of states) set.apply(s);
    return set;
  }

  get kind(): AirbyteStateType | undefined {
    return this.#kind;
  }

  get isEmpty(): boolean {
    return this.#streams.size === 0 && this.#single === undefined;
  }

  /** Merges one state message (as a destination echoed it) into the set. */
  apply(message: AirbyteStateMessage): void {
    const kind = stateKind(message);
    if (this.#kind !== undefined && this.#kind !== kind) {
      throw new StateInvalidError('A connection cannot mix state types', { context: { have: this.#kind, got: kind } });
    }
    this.#kind = kind;
    const stored = toStoredState(message);
    if (kind === 'STREAM') {
      const descriptor = message.stream?.stream_descriptor;
      if (!descriptor || typeof descriptor.name !== 'string') {
        throw new StateInvalidError('A STREAM state has no stream descriptor', { context: {} });
      }
      const key = streamKey(descriptor);
      if (message.stream?.stream_state === null) this.#streams.delete(key);
      else this.#streams.set(key, stored);
    } else {
      this.#single = stored;
    }
  }

  /** Forgets the state of these streams (a full refresh + overwrite starts them over). */
  resetStreams(keys: Iterable<string>): void {
    for (const key of keys) this.#streams.delete(key);
    if (this.#kind === 'GLOBAL' && this.#single?.global) {
      const drop = new Set(keys);
      const global = this.#single.global;
      this.#single = { ...this.#single, global: { ...global, stream_states: global.stream_states.filter((s) => !drop.has(streamKey(s.stream_descriptor))) } };
    }
  }

  /** The array form Airbyte connectors read from `--state`. */
  toArray(): AirbyteStateMessage[] {
    if (this.#kind === 'STREAM') return [...this.#streams.values()];
    return this.#single ? [this.#single] : [];
  }
}

/** Absent `type` means LEGACY (protocol rule). */
export function stateKind(message: AirbyteStateMessage): AirbyteStateType {
  return message.type ?? 'LEGACY';
}

/**
 * A state as it is stored between runs: the connector's own fields only. `id`, `sourceStats` and
 * `destinationStats` describe one run's bookkeeping and would be stale on the next.
 */
export function toStoredState(message: AirbyteStateMessage): AirbyteStateMessage {
  const { id: _id, sourceStats: _s, destinationStats: _d, ...rest } = message as AirbyteStateMessage & { id?: unknown };
  return rest;
}

/** Functional form of StateSet.apply. */
export function mergeState(states: readonly AirbyteStateMessage[], next: AirbyteStateMessage): AirbyteStateMessage[] {
  const set = StateSet.from(states);
  set.apply(next);
  return set.toArray();
}

/**
 * The contents of a `--state` file. STREAM and GLOBAL are an array; a LEGACY state is passed as its
 * raw blob, which is what old connectors read (platform StateMessageHelper, CDK read_state).
 */
export function stateFileValue(states: readonly AirbyteStateMessage[]): unknown {
  if (states.length === 1 && stateKind(states[0]!) === 'LEGACY') return states[0]!.data ?? {};
  return states;
}
