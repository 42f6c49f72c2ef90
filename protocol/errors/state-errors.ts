import { AirdockError } from './airdock-error.js';

export abstract class StateError extends AirdockError {
  readonly family = 'state' as const;
  readonly failureType = 'system_error' as const;
}

/** Persisting acknowledged state failed (disk full, database down). Retryable. */
export class StateCommitError extends StateError {
  readonly code = 'AIRDOCK_STATE_COMMIT';
  readonly retryable = true;
}

/** Stored state cannot be read back. Never retried: a human must look. */
export class StateCorruptError extends StateError {
  readonly code = 'AIRDOCK_STATE_CORRUPT';
  readonly retryable = false;
  protected override defaultHint() { return 'Inspect it with `airdock state show`, then fix it with `airdock state set` or `clear`'; }
}

/** A state given by the user (airdock state set, --state) is not a valid state. */
export class StateInvalidError extends StateError {
  readonly code = 'AIRDOCK_STATE_INVALID';
  readonly retryable = false;
  protected override defaultHint() { return 'A state file is a JSON array of AirbyteStateMessage (or one LEGACY blob)'; }
}

/**
 * Another run holds this connection (a sync, or `state set|clear`). Two syncs of one connection would
 * write every record twice and race on the state; the second one stops before anything moves.
 */
export class StateLockedError extends StateError {
  readonly code = 'AIRDOCK_STATE_LOCKED';
  readonly retryable = false;
  protected override defaultHint() { return 'Wait for the running sync to finish, or stop it; a lock left by a process that died is taken over automatically'; }
}
