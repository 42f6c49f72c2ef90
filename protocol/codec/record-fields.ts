import { byteOf, bytesEqual, skipString, skipValue, skipWhitespace } from './envelope-scanner.js';

/**
 * Where a RECORD object's fields sit in a buffer, -1 where absent. Filled in place by
 * {@link scanRecordFields}, so a reader that sees a million records a second allocates nothing per record.
 */
export class RecordFields {
  /** Index after the record object's closing brace, or -1 when the object is not well formed. */
  end = -1;
  streamStart = -1;
  streamEnd = -1;
  namespaceStart = -1;
  namespaceEnd = -1;
  /** The first byte of `data` (`{` for an object), or -1 when absent. */
  dataKind = -1;
  dataStart = -1;
  dataEnd = -1;
  metaStart = -1;
  metaEnd = -1;
  /** 0 absent, 1 an integer, 2 not an integer. */
  emittedAt = 0;
  emittedAtStart = -1;
  emittedAtEnd = -1;
}

/**
 * Scans the RECORD object starting at `start` (its `{`) into `out` and returns it. Written as one loop
 * without callbacks: this runs once per record. It checks structure, not the required fields: callers
 * decide what a missing or mistyped field means. classifyLine's scanRecord walks the same way with the
 * fields in locals (the relay's hot path measured 5-8 % slower through this function); the SDK's
 * destination-input test checks that the two accept the same lines.
 *
 * `lastDataEnd` (for a reader whose consumer checks `data` itself, strictly: see
 * BarrierSink.checksRunData) is where an object `data` ends if it is the record's last field: a
 * `data` object found is then taken as ending there, without a scan, and the scan stops. The
 * consumer's check of `data` is what tells whether that was so.
 */
export function scanRecordFields(raw: Buffer, start: number, out: RecordFields, lastDataEnd = -1): RecordFields {
  // Locals in the loop, stored once at the end: cheaper than a property store per key.
  let streamStart = -1;
  let streamEnd = -1;
  let namespaceStart = -1;
  let namespaceEnd = -1;
  let dataKind = -1;
  let dataStart = -1;
  let dataEnd = -1;
  let metaStart = -1;
  let metaEnd = -1;
  let emittedAt = 0;
  let emittedAtStart = -1;
  let emittedAtEnd = -1;
  let end = -1;
  let i = skipWhitespace(raw, start + 1);
  if (raw[i] === 0x7d) end = i + 1;
  while (end === -1) {
    if (raw[i] !== byteOf.QUOTE) break;
    const keyEnd = skipString(raw, i);
    if (keyEnd === -1) break;
    const ks = i + 1;
    const ke = keyEnd - 1;
    i = skipWhitespace(raw, keyEnd);
    if (raw[i] !== 0x3a) break;
    const vs = skipWhitespace(raw, i + 1);
    if (lastDataEnd > vs && ke - ks === 4 && raw[vs] === byteOf.LBRACE && bytesEqual(raw, ks, ke, 'data')) {
      dataKind = byteOf.LBRACE; dataStart = vs; dataEnd = lastDataEnd; end = lastDataEnd + 1;
      break;
    }
    const ve = skipValue(raw, vs);
    if (ve === -1) break;
    const keyLen = ke - ks;
    if (keyLen === 4 && bytesEqual(raw, ks, ke, 'data')) { dataKind = raw[vs]!; dataStart = vs; dataEnd = ve; }
    else if (keyLen === 4 && bytesEqual(raw, ks, ke, 'meta')) { metaStart = vs; metaEnd = ve; }
    else if (keyLen === 6 && bytesEqual(raw, ks, ke, 'stream')) { streamStart = vs; streamEnd = ve; }
    else if (keyLen === 9 && bytesEqual(raw, ks, ke, 'namespace')) { namespaceStart = vs; namespaceEnd = ve; }
    else if (keyLen === 10 && bytesEqual(raw, ks, ke, 'emitted_at')) { emittedAt = isInteger(raw, vs, ve) ? 1 : 2; emittedAtStart = vs; emittedAtEnd = ve; }
    i = skipWhitespace(raw, ve);
    if (raw[i] === 0x2c) i = skipWhitespace(raw, i + 1);
    else if (raw[i] === 0x7d) end = i + 1;
    else break;
  }
  out.end = end;
  out.streamStart = streamStart;
  out.streamEnd = streamEnd;
  out.namespaceStart = namespaceStart;
  out.namespaceEnd = namespaceEnd;
  out.dataKind = dataKind;
  out.dataStart = dataStart;
  out.dataEnd = dataEnd;
  out.metaStart = metaStart;
  out.metaEnd = metaEnd;
  out.emittedAt = emittedAt;
  out.emittedAtStart = emittedAtStart;
  out.emittedAtEnd = emittedAtEnd;
  return out;
}

/** An `emitted_at` number: digits, with the fraction or exponent that Jackson and the Python CDK accept. */
export function isInteger(b: Buffer, start: number, end: number): boolean {
  let i = start;
  if (b[i] === 0x2d) i++;
  if (i >= end) return false;
  let sawDigit = false;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c >= 0x30 && c <= 0x39) sawDigit = true;
    // Jackson and the Python CDK accept 1.7e12 and 1700000000000.0 for emitted_at; so do we.
    else if (c !== 0x2e && c !== 0x65 && c !== 0x45 && c !== 0x2b && c !== 0x2d) return false;
  }
  return sawDigit;
}
