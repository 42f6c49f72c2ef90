import type { AirbyteMessage } from './generated/types.js';

export type AirbyteMessageType = AirbyteMessage['type'];

export const MESSAGE_TYPES: readonly AirbyteMessageType[] = [
  'RECORD', 'STATE', 'LOG', 'SPEC', 'CONNECTION_STATUS', 'CATALOG', 'TRACE', 'CONTROL', 'DESTINATION_CATALOG',
];

const known = new Set<string>(MESSAGE_TYPES);

export function isMessageType(value: unknown): value is AirbyteMessageType {
  return typeof value === 'string' && known.has(value);
}
