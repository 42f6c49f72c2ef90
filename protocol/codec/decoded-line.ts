import type { AirbyteMessage } from '../generated/types.js';
import type { AirbyteMessageType } from '../messages.js';
import type { ValidationIssue } from '../validate/validation-issue.js';

/** Where a RECORD's routing fields sit in its raw bytes, so a mapper can splice instead of re-serialise. */
export interface RecordEnvelope {
  stream: string;
  namespace: string | undefined;
  /** [start, end) of the stream value, quotes included. */
  streamRange: readonly [number, number];
  /** [start, end) of the namespace value (quotes included; may be `null`), when present. */
  namespaceRange: readonly [number, number] | undefined;
  /** [start, end) of the record object. */
  recordRange: readonly [number, number];
  /** [start, end) of `data` (an object): destinations can store or copy it without parsing it. */
  dataRange: readonly [number, number];
  /** [start, end) of the record's `meta` value, when present. */
  metaRange: readonly [number, number] | undefined;
  /** [start, end) of the `emitted_at` number. */
  emittedAtRange: readonly [number, number];
}

interface LineBase {
  /** 1-based line number in the stream. */
  line: number;
  /** The line's bytes without the newline. Forward these: they are exactly what the connector wrote. */
  raw: Buffer;
}

/** A protocol message. For RECORDs decoded in envelope mode `message` is parsed on first access. */
export interface MessageLine extends LineBase {
  kind: 'message';
  type: AirbyteMessageType;
  readonly message: AirbyteMessage;
  /** Present for RECORD lines in `envelope` and `full` modes. */
  record?: RecordEnvelope;
}

/** Not a protocol message (logs, blank lines, JSON without a known `type`): log it, never fail on it. */
export interface NoiseLine extends LineBase {
  kind: 'noise';
  reason: string;
}

/** A known message type that breaks the schema. */
export interface InvalidLine extends LineBase {
  kind: 'invalid';
  type: AirbyteMessageType;
  errors: ValidationIssue[];
}

export type DecodedLine = MessageLine | NoiseLine | InvalidLine;
