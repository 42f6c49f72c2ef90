import { AirdockError } from './airdock-error.js';

/** A connector broke the wire contract. Not the user's fault, and a retry rarely helps. */
export abstract class ProtocolError extends AirdockError {
  readonly family = 'protocol' as const;
  readonly failureType = 'system_error' as const;
  readonly retryable = false;
}

export class LineTooLongError extends ProtocolError {
  readonly code = 'AIRDOCK_PROTOCOL_LINE_TOO_LONG';
  protected override defaultHint() { return 'Raise the limit with --max-line-bytes (or maxLineBytes) if such records are expected'; }
}

export class MalformedMessageError extends ProtocolError {
  readonly code = 'AIRDOCK_PROTOCOL_MALFORMED';
}

/** spec/check/discover ended without the message that carries their result. */
export class MissingOutputError extends ProtocolError {
  readonly code = 'AIRDOCK_PROTOCOL_NO_OUTPUT';
  protected override defaultHint() { return 'The connector exited without a result; its last log lines are in the error context'; }
}
