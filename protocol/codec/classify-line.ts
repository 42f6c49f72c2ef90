import type { AirbyteMessage } from '../generated/types.js';
import { parseJson } from '../json/lossless-json.js';
import { isMessageType, type AirbyteMessageType } from '../messages.js';
import { validateMessage } from '../validate/validate-message.js';
import type { ValidationIssue } from '../validate/validation-issue.js';
import type { DecodedLine, MessageLine, NoiseLine, RecordEnvelope } from './decoded-line.js';
import { byteOf, bytesEqual, readString, scanObject, skipString, skipValue, skipWhitespace } from './envelope-scanner.js';
import { isInteger } from './record-fields.js';

const RECORD_PREFIX = Buffer.from('{"type":"RECORD","record":{');

function hasRecordPrefix(raw: Buffer): boolean {
  const n = RECORD_PREFIX.length;
  if (raw.length <= n) return false;
  for (let k = 0; k < n; k++) if (raw[k] !== RECORD_PREFIX[k]) return false;
  return true;
}

export interface ClassifyOptions {
  /**
   * `envelope` (default): RECORD lines are checked structurally and their routing fields read
   * without parsing `data`; every other message is parsed and schema-validated.
   * `full`: every line is parsed and validated against the official schema.
   * `parsed`: every line is parsed once with JSON.parse; a RECORD's required fields are checked on the
   * object (no schema run, no byte scan). For consumers that need every record's data anyway, such
   * as destinations: the envelope scan would be work done twice. `record` is not set in this mode.
   */
  validate?: 'envelope' | 'full' | 'parsed';
}

/**
 * Decides what one stdout line is. Lines that are not protocol messages are `noise`, never an error:
 * connectors print Java logs, banners and blank lines to stdout, and the platform drops those too.
 */
export function classifyLine(raw: Buffer, line: number, options: ClassifyOptions = {}): DecodedLine {
  try {
    return classify(raw, line, options);
  } catch (err) {
    // The scanner checks structure, not escapes: a string it decodes (`"us\ers"`) can still be
    // invalid JSON. Such a line is noise, as it would be for JSON.parse, not a crash of the read.
    if (err instanceof SyntaxError) return { kind: 'noise', line, raw, reason: 'not valid JSON' };
    throw err;
  }
}

function classify(raw: Buffer, line: number, options: ClassifyOptions): DecodedLine {
  const start = skipWhitespace(raw, 0);
  if (start === raw.length) return { kind: 'noise', line, raw, reason: 'blank line' };
  if (raw[start] !== byteOf.LBRACE) return { kind: 'noise', line, raw, reason: 'not a JSON object' };
  if (options.validate === 'full') return classifyParsed(raw, line);
  if (options.validate === 'parsed') return classifyParsedRecord(raw, line);
  if (start === 0 && hasRecordPrefix(raw)) {
    // The shape every CDK writes: no key scan needed to find the type and the record object.
    const recordStart = RECORD_PREFIX.length - 1;
    const scanned = scanRecord(raw, recordStart);
    if (scanned.end !== -1 && raw[scanned.end] === 0x7d && skipWhitespace(raw, scanned.end + 1) === raw.length) {
      return recordLine(raw, line, true, scanned.envelope);
    }
  }

  let type: string | undefined;
  let typeRange: [number, number] | undefined;
  let record: RecordEnvelope | { errors: ValidationIssue[] } | undefined;
  let recordPresent = false;
  const end = scanObject(raw, start, (ks, ke, vs) => {
    if (bytesEqual(raw, ks, ke, 'type') && raw[vs] === byteOf.QUOTE) {
      const ve = skipValue(raw, vs);
      typeRange = [vs, ve];
      return ve;
    }
    if (bytesEqual(raw, ks, ke, 'record')) {
      recordPresent = true;
      if (raw[vs] !== byteOf.LBRACE) return -1;
      // Scan the record's keys in the same pass instead of skipping it and scanning it again.
      const scanned = scanRecord(raw, vs);
      record = scanned.envelope;
      return scanned.end;
    }
    return -1;
  });
  if (end === -1 || skipWhitespace(raw, end) !== raw.length) return { kind: 'noise', line, raw, reason: 'not valid JSON' };
  // Compare bytes first: decoding the type string for every record is measurable at 1M lines/s.
  if (typeRange && bytesEqual(raw, typeRange[0], typeRange[1], '"RECORD"')) return recordLine(raw, line, recordPresent, record);
  if (typeRange) type = readString(raw, typeRange[0], typeRange[1]);
  if (!isMessageType(type)) return { kind: 'noise', line, raw, reason: 'JSON without a known message type' };
  return classifyParsed(raw, line);
}

function recordLine(raw: Buffer, line: number, present: boolean, record: RecordEnvelope | { errors: ValidationIssue[] } | undefined): DecodedLine {
  if (!record) {
    const errors = [{ path: '/record', message: present ? 'must be object' : 'is required for a RECORD message' }];
    return { kind: 'invalid', line, raw, type: 'RECORD', errors };
  }
  if ('errors' in record) return { kind: 'invalid', line, raw, type: 'RECORD', errors: record.errors };
  return new LazyRecordLine(line, raw, record);
}

/**
 * Scans a RECORD's object at `start`: its routing fields, or which required parts are missing.
 * Written as one loop without callbacks: this runs once per record, a million times a second.
 */
function scanRecord(raw: Buffer, start: number): { end: number; envelope: RecordEnvelope | { errors: ValidationIssue[] } } {
  let streamStart = -1;
  let streamEnd = -1;
  let namespaceStart = -1;
  let namespaceEnd = -1;
  let dataKind = -1;
  let dataStart = -1;
  let dataEnd = -1;
  let metaStart = -1;
  let metaEnd = -1;
  let emittedAt = 0; // 0 absent, 1 integer, 2 not an integer
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
  const errors: ValidationIssue[] = [];
  if (streamStart === -1) errors.push({ path: '/record/stream', message: 'is required' });
  else if (raw[streamStart] !== byteOf.QUOTE) errors.push({ path: '/record/stream', message: 'must be string' });
  if (dataKind === -1) errors.push({ path: '/record/data', message: 'is required' });
  else if (dataKind !== byteOf.LBRACE) errors.push({ path: '/record/data', message: 'must be object' });
  if (emittedAt === 0) errors.push({ path: '/record/emitted_at', message: 'is required' });
  else if (emittedAt === 2) errors.push({ path: '/record/emitted_at', message: 'must be integer' });
  let namespace: string | undefined;
  if (namespaceStart !== -1) {
    if (raw[namespaceStart] === byteOf.QUOTE) namespace = readString(raw, namespaceStart, namespaceEnd);
    else if (!bytesEqual(raw, namespaceStart, namespaceEnd, 'null')) errors.push({ path: '/record/namespace', message: 'must be string' });
  }
  if (errors.length > 0 || end === -1) return { end, envelope: { errors } };
  const envelope: RecordEnvelope = {
    stream: streamName(raw, streamStart, streamEnd),
    namespace,
    streamRange: [streamStart, streamEnd],
    namespaceRange: namespaceStart === -1 ? undefined : [namespaceStart, namespaceEnd],
    recordRange: [start, end],
    dataRange: [dataStart, dataEnd],
    metaRange: metaStart === -1 ? undefined : [metaStart, metaEnd],
    emittedAtRange: [emittedAtStart, emittedAtEnd],
  };
  return { end, envelope };
}

// Records come in long runs of the same stream: reuse the last decoded name when the bytes match.
let lastStreamBytes: Buffer = Buffer.alloc(0);
let lastStreamName = '';
function streamName(raw: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n === lastStreamBytes.length) {
    let same = true;
    for (let k = 0; k < n; k++) {
      if (raw[start + k] !== lastStreamBytes[k]) {
        same = false;
        break;
      }
    }
    if (same) return lastStreamName;
  }
  lastStreamName = readString(raw, start, end);
  lastStreamBytes = Buffer.from(raw.subarray(start, end));
  return lastStreamName;
}

/** RECORD whose object is built only if someone asks: forwarding needs just the bytes. */
class LazyRecordLine implements MessageLine {
  readonly kind = 'message' as const;
  readonly type = 'RECORD' as const;
  #message: AirbyteMessage | undefined;
  constructor(readonly line: number, readonly raw: Buffer, readonly record: RecordEnvelope) {}
  get message(): AirbyteMessage {
    // Numbers beyond 2^53 lose precision here; that is why the runtime forwards `raw`, not this.
    return (this.#message ??= JSON.parse(this.raw.toString('utf8')) as AirbyteMessage);
  }
}

interface ParsedLine {
  text: string;
  value: Record<string, unknown>;
  type: AirbyteMessageType;
}

/** Parses a line as a JSON object with a known message type, or says why it is noise. */
function parseMessageLine(raw: Buffer, line: number): ParsedLine | NoiseLine {
  const text = raw.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'noise', line, raw, reason: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'noise', line, raw, reason: 'not a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (!isMessageType(type)) return { kind: 'noise', line, raw, reason: 'JSON without a known message type' };
  return { text, value: value as Record<string, unknown>, type };
}

function classifyParsed(raw: Buffer, line: number, parsed: ParsedLine | NoiseLine = parseMessageLine(raw, line)): DecodedLine {
  if ('kind' in parsed) return parsed;
  const { text, value, type } = parsed;
  const errors = validateMessage(value);
  if (errors.length > 0) return { kind: 'invalid', line, raw, type, errors };
  // STATE and CONTROL are persisted and sent back to connectors: keep their numbers exact.
  const message = (type === 'STATE' || type === 'CONTROL' ? parseJson(text) : value) as AirbyteMessage;
  if (type !== 'RECORD') return { kind: 'message', line, raw, type, message };
  const scanned = classifyLine(raw, line, { validate: 'envelope' });
  // The schema accepted it, so the structural scan can only disagree on a malformed line.
  if (scanned.kind !== 'message') return scanned.kind === 'invalid' ? scanned : { kind: 'invalid', line, raw, type, errors: [{ path: '', message: scanned.reason }] };
  return { kind: 'message', line, raw, type, message, record: scanned.record! };
}

function classifyParsedRecord(raw: Buffer, line: number): DecodedLine {
  const parsed = parseMessageLine(raw, line);
  // Non-RECORD messages are rare: schema-validate them, reusing this parse.
  if ('kind' in parsed || parsed.type !== 'RECORD') return classifyParsed(raw, line, parsed);
  const record = parsed.value.record;
  const errors: ValidationIssue[] = [];
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    errors.push({ path: '/record', message: record === undefined ? 'is required for a RECORD message' : 'must be object' });
  } else {
    const r = record as Record<string, unknown>;
    if (r.stream === undefined) errors.push({ path: '/record/stream', message: 'is required' });
    else if (typeof r.stream !== 'string') errors.push({ path: '/record/stream', message: 'must be string' });
    if (r.data === undefined) errors.push({ path: '/record/data', message: 'is required' });
    else if (typeof r.data !== 'object' || r.data === null || Array.isArray(r.data)) errors.push({ path: '/record/data', message: 'must be object' });
    if (r.emitted_at === undefined) errors.push({ path: '/record/emitted_at', message: 'is required' });
    else if (typeof r.emitted_at !== 'number' || !Number.isInteger(r.emitted_at)) errors.push({ path: '/record/emitted_at', message: 'must be integer' });
    if (r.namespace !== undefined && r.namespace !== null && typeof r.namespace !== 'string') errors.push({ path: '/record/namespace', message: 'must be string' });
  }
  if (errors.length > 0) return { kind: 'invalid', line, raw, type: 'RECORD', errors };
  return { kind: 'message', line, raw, type: 'RECORD', message: parsed.value as AirbyteMessage };
}
