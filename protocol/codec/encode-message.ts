import type { AirbyteMessage } from '../generated/types.js';
import { stringifyJson } from '../json/lossless-json.js';

/**
 * One message as one line (JSON escapes newlines inside strings, so a line is always one message).
 * STATE and CONTROL go through the lossless writer because they may carry LosslessNumbers from
 * parseJson; everything else uses the much faster JSON.stringify.
 */
export function encodeMessage(message: AirbyteMessage): string {
  const body = message.type === 'STATE' || message.type === 'CONTROL' ? stringifyJson(message) : JSON.stringify(message);
  return `${body}\n`;
}
