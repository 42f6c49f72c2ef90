import { bytesEqual, scanObject, skipValue } from '../../protocol/codec/envelope-scanner.js';

/**
 * The exact bytes of a RECORD line's `record.data`, found by a structural scan (no parse), so big
 * numbers and number formatting reach Kafka as the source wrote them. Undefined if not found.
 */
export function recordDataBytes(raw: Buffer): Buffer | undefined {
  let found: Buffer | undefined;
  scanObject(raw, skipWs(raw, 0), (ks, ke, vs) => {
    if (!bytesEqual(raw, ks, ke, 'record')) return -1;
    return scanObject(raw, vs, (rks, rke, rvs) => {
      if (!bytesEqual(raw, rks, rke, 'data')) return -1;
      const end = skipValue(raw, rvs);
      if (end !== -1) found = raw.subarray(rvs, end);
      return end;
    });
  });
  return found;
}

function skipWs(b: Buffer, i: number): number {
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return i;
}
