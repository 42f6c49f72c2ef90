import { isUtf8 } from 'node:buffer';
import {
  parseJson, readString, scanObject, skipValue, stringifyJson,
  type AirbyteRecordMessage, type AirbyteRecordMessageMetaChange, type RecordEnvelope,
} from '../../protocol/index.js';

/**
 * A RECORD line whose bytes are not valid UTF-8, made valid without a silent change of data: each
 * top-level field of `data` that holds invalid bytes (in its name or anywhere in its value) is set
 * to null and listed in `meta.changes` as NULLED / SOURCE_SERIALIZATION_ERROR, which destinations
 * copy into `_airbyte_meta.changes`. Decoding with U+FFFD instead would alter the value unseen.
 * Returns the repaired line (numbers kept exact), or undefined when the line is valid UTF-8.
 */
export function repairInvalidUtf8(raw: Buffer, envelope: RecordEnvelope): Buffer | undefined {
  if (isUtf8(raw)) return undefined;
  const [dataStart] = envelope.dataRange;
  const bad: string[] = [];
  scanObject(raw, dataStart, (keyStart, keyEnd, valueStart) => {
    const valueEnd = skipValue(raw, valueStart);
    if (valueEnd !== -1 && !isUtf8(raw.subarray(keyStart - 1, valueEnd))) bad.push(readString(raw, keyStart - 1, keyEnd + 1));
    return valueEnd;
  });
  const message = parseJson(raw.toString('utf8')) as { record: AirbyteRecordMessage };
  const record = message.record;
  const changes: AirbyteRecordMessageMetaChange[] = [...(record.meta?.changes ?? [])];
  for (const field of bad) {
    (record.data as Record<string, unknown>)[field] = null;
    changes.push({ field, change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' });
  }
  record.meta = { ...record.meta, changes };
  return Buffer.from(stringifyJson(message));
}
