import type { AirbyteMessage } from '../generated/types.js';
import { parseJson } from '../json/lossless-json.js';
import { isMessageType } from '../messages.js';
import { validateMessage } from '../validate/validate-message.js';
import type { ValidationIssue } from '../validate/validation-issue.js';
import type { DecodedLine, MessageLine, RecordEnvelope } from './decoded-line.js';
import { byteOf, bytesEqual, readString, scanObject, skipWhitespace } from './envelope-scanner.js';

export interface ClassifyOptions {
  /**
   * `envelope` (default): RECORD lines are checked structurally and their routing fields read
   * without parsing `data`; every other message is parsed and schema-validated.
   * `full`: every line is parsed and validated against the official schema.
   */
  validate?: 'envelope' | 'full';
}

/**
 * Decides what one stdout line is. Lines that are not protocol messages are `noise`, never an error:
 * connectors print Java logs, banners and blank lines to stdout, and the platform drops those too.
 */
export function classifyLine(raw: Buffer, line: number, options: ClassifyOptions = {}): DecodedLine {
  const start = skipWhitespace(raw, 0);
  if (start === raw.length) return { kind: 'noise', line, raw, reason: 'blank line' };
  if (raw[start] !== byteOf.LBRACE) return { kind: 'noise', line, raw, reason: 'not a JSON object' };
  if (options.validate === 'full') return classifyParsed(raw, line);

  let type: string | undefined;
  let typeRange: [number, number] | undefined;
  let recordRange: [number, number] | undefined;
  const end = scanObject(raw, start, (ks, ke, vs, ve) => {
    if (bytesEqual(raw, ks, ke, 'type') && raw[vs] === byteOf.QUOTE) typeRange = [vs, ve];
    else if (bytesEqual(raw, ks, ke, 'record')) recordRange = [vs, ve];
  });
  if (end === -1 || skipWhitespace(raw, end) !== raw.length) return { kind: 'noise', line, raw, reason: 'not valid JSON' };
  if (typeRange) type = readString(raw, typeRange[0], typeRange[1]);
  if (!isMessageType(type)) return { kind: 'noise', line, raw, reason: 'JSON without a known message type' };
  if (type !== 'RECORD') return classifyParsed(raw, line);
  return classifyRecord(raw, line, recordRange);
}

function classifyRecord(raw: Buffer, line: number, recordRange: [number, number] | undefined): DecodedLine {
  const scanned = scanRecord(raw, recordRange);
  if ('errors' in scanned) return { kind: 'invalid', line, raw, type: 'RECORD', errors: scanned.errors };
  return new LazyRecordLine(line, raw, scanned);
}

/** Reads a RECORD's routing fields from its bytes, or says which required parts are missing. */
function scanRecord(raw: Buffer, recordRange: [number, number] | undefined): RecordEnvelope | { errors: ValidationIssue[] } {
  const errors: ValidationIssue[] = [];
  if (!recordRange || raw[recordRange[0]] !== byteOf.LBRACE) {
    errors.push({ path: '/record', message: recordRange ? 'must be object' : 'is required for a RECORD message' });
    return { errors };
  }
  let streamRange: [number, number] | undefined;
  let namespaceRange: [number, number] | undefined;
  let dataKind: number | undefined;
  let emittedAtOk: boolean | undefined;
  scanObject(raw, recordRange[0], (ks, ke, vs, ve) => {
    if (bytesEqual(raw, ks, ke, 'stream')) streamRange = [vs, ve];
    else if (bytesEqual(raw, ks, ke, 'data')) dataKind = raw[vs];
    else if (bytesEqual(raw, ks, ke, 'namespace')) namespaceRange = [vs, ve];
    else if (bytesEqual(raw, ks, ke, 'emitted_at')) emittedAtOk = isInteger(raw, vs, ve);
  });
  if (!streamRange) errors.push({ path: '/record/stream', message: 'is required' });
  else if (raw[streamRange[0]] !== byteOf.QUOTE) errors.push({ path: '/record/stream', message: 'must be string' });
  if (dataKind === undefined) errors.push({ path: '/record/data', message: 'is required' });
  else if (dataKind !== byteOf.LBRACE) errors.push({ path: '/record/data', message: 'must be object' });
  if (emittedAtOk === undefined) errors.push({ path: '/record/emitted_at', message: 'is required' });
  else if (!emittedAtOk) errors.push({ path: '/record/emitted_at', message: 'must be integer' });
  let namespace: string | undefined;
  if (namespaceRange) {
    if (raw[namespaceRange[0]] === byteOf.QUOTE) namespace = readString(raw, namespaceRange[0], namespaceRange[1]);
    else if (!bytesEqual(raw, namespaceRange[0], namespaceRange[1], 'null')) errors.push({ path: '/record/namespace', message: 'must be string' });
  }
  if (errors.length > 0) return { errors };
  return { stream: readString(raw, streamRange![0], streamRange![1]), namespace, streamRange: streamRange!, namespaceRange, recordRange };
}

function findRecordRange(raw: Buffer): [number, number] | undefined {
  let recordRange: [number, number] | undefined;
  scanObject(raw, skipWhitespace(raw, 0), (ks, ke, vs, ve) => {
    if (bytesEqual(raw, ks, ke, 'record')) recordRange = [vs, ve];
  });
  return recordRange;
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

function classifyParsed(raw: Buffer, line: number): DecodedLine {
  let value: unknown;
  const text = raw.toString('utf8');
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'noise', line, raw, reason: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'noise', line, raw, reason: 'not a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (!isMessageType(type)) return { kind: 'noise', line, raw, reason: 'JSON without a known message type' };
  const errors = validateMessage(value);
  if (errors.length > 0) return { kind: 'invalid', line, raw, type, errors };
  // STATE and CONTROL are persisted and sent back to connectors: keep their numbers exact.
  const message = (type === 'STATE' || type === 'CONTROL' ? parseJson(text) : value) as AirbyteMessage;
  if (type !== 'RECORD') return { kind: 'message', line, raw, type, message };
  const envelope = scanRecord(raw, findRecordRange(raw));
  // The schema accepted it, so the structural scan can only disagree on a malformed line.
  if ('errors' in envelope) return { kind: 'invalid', line, raw, type, errors: envelope.errors };
  return { kind: 'message', line, raw, type, message, record: envelope };
}

function isInteger(b: Buffer, start: number, end: number): boolean {
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
