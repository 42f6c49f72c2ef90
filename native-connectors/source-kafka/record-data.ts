import { KafkaBadMessageError } from '../../protocol/index.js';

/**
 * A message value as the record's `data`, already serialised. As the official JSON format: the
 * value's JSON object is the record. Values that are JSON but not objects become `{"value": ...}` (the
 * discovered schema's one property), since a record's data must be an object. The original text
 * is kept when it can be (no re-serialising), unless it spans lines.
 */
export function recordData(value: Buffer, where: { topic: string; partition: number; offset: string }): string {
  const text = value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new KafkaBadMessageError('A message value is not JSON', { cause, context: { ...where, bytes: value.length } });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return `{"value":${JSON.stringify(parsed)}}`;
  return text.includes('\n') || text.includes('\r') ? JSON.stringify(parsed) : text.trim();
}
