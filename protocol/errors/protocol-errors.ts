import { AirdockError } from './airdock-error.js';

/** A connector broke the wire contract. Not the user's fault, and a retry rarely helps. */
export abstract class ProtocolError extends AirdockError {
  readonly family = 'protocol' as const;
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
}

export class LineTooLongError extends ProtocolError {
  readonly code = 'AIRDOCK_PROTOCOL_LINE_TOO_LONG';
  protected override defaultHint() { return 'If such records are expected, raise the limit: --max-line-bytes <bytes> (read, write, protocol validate), max_line_bytes in a connection file (sync)'; }
}

/**
 * A source sent a RECORD of a stream the configured catalog does not hold. The platform fails such an
 * attempt; so does airdock (destinations would drop the record silently), and it is not retried.
 */
export class UnknownStreamError extends ProtocolError {
  readonly code = 'AIRDOCK_PROTOCOL_UNKNOWN_STREAM';
  protected override defaultHint() { return 'The source emitted a stream it was not asked for: a source bug. Report it to the connector\'s maintainers; leave the stream out of the connection, or add it, only if the source lets you'; }
}

export class MalformedMessageError extends ProtocolError {
  readonly code = 'AIRDOCK_PROTOCOL_MALFORMED';
}

/** spec/check/discover ended without the message that carries their result. */
export class MissingOutputError extends ProtocolError {
  readonly code = 'AIRDOCK_PROTOCOL_NO_OUTPUT';
  protected override defaultHint() { return 'The connector exited without a result; its last log lines are in the error context'; }
}
