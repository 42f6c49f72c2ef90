import { parseJson, StateCorruptError, type AirbyteStateMessage } from '../../protocol/index.js';

/** Parses stored state text losslessly (cursors and LSNs may exceed 2^53); the shape must be an array. */
export function parseStoredState(text: string, where: Record<string, unknown>): AirbyteStateMessage[] {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (err) {
    throw new StateCorruptError('The stored state is not valid JSON', { cause: err, context: where });
  }
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) {
    throw new StateCorruptError('The stored state is not an array of state messages', { context: where });
  }
  return value as AirbyteStateMessage[];
}
