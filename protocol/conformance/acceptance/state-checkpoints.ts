import type { AirbyteStateMessage, AirbyteStreamState } from '../../generated/types.js';
import { sameJson } from './canonical-json.js';

const nameOf = (s: AirbyteStateMessage): string | undefined => s.stream?.stream_descriptor.name;

/**
 * The state to resume from after `states` (what CAT builds): per-stream states merged, the latest for
 * each stream, as `--state` takes them; a GLOBAL or LEGACY state is used as the last one sent.
 */
export function resumeState(states: readonly AirbyteStateMessage[]): AirbyteStateMessage[] | unknown {
  const last = states.at(-1);
  if (!last) return [];
  if (last.type !== 'STREAM' && last.type !== undefined) return [last];
  if (last.type === undefined && last.data !== undefined) return last.data;
  const byStream = new Map<string, AirbyteStateMessage>();
  for (const s of states) {
    if (s.type !== 'STREAM' || !s.stream) continue;
    const d = s.stream.stream_descriptor;
    byStream.set(`${d.namespace ?? ''}\u0000${d.name}`, { type: 'STREAM', stream: { stream_descriptor: d, stream_state: s.stream.stream_state ?? {} } as AirbyteStreamState });
  }
  return [...byStream.values()];
}

/** Per stream name, the stream_state object (per-stream states), or the whole blob for legacy states. */
export function stateByStream(states: readonly AirbyteStateMessage[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const s of states) {
    const name = nameOf(s);
    if (s.type === 'STREAM' && name !== undefined) out.set(name, s.stream?.stream_state ?? {});
    else if (s.type === 'GLOBAL') for (const ss of s.global?.stream_states ?? []) out.set(ss.stream_descriptor.name, ss.stream_state ?? {});
    else if (s.data !== undefined) out.set('*', s.data);
  }
  return out;
}

/** Consecutive duplicates dropped (CAT skips identical checkpoints), then at most `max` spread evenly. */
export function sampleCheckpoints<T extends AirbyteStateMessage>(states: readonly T[], max: number): { index: number; state: T }[] {
  const unique: { index: number; state: T }[] = [];
  states.forEach((state, index) => {
    const prev = unique.at(-1)?.state;
    if (!prev || nameOf(prev) !== nameOf(state) || !sameJson(prev.stream?.stream_state ?? prev.data, state.stream?.stream_state ?? state.data)) unique.push({ index, state });
  });
  if (unique.length <= max) return unique;
  const step = unique.length / max;
  return Array.from({ length: max }, (_, i) => unique[Math.floor(i * step)]!);
}
