import { AirdockError } from './airdock-error.js';

export abstract class StateError extends AirdockError {
  readonly family = 'state' as const;
  readonly failureType = 'system_error' as const;
}

/** Persisting acknowledged state failed (disk full, database down). Retryable. */
export class StateCommitError extends StateError {
  readonly code = 'AIRDOCK_STATE_COMMIT';
  readonly retryable = true;
  protected override defaultHint() { return 'The acknowledged state was not saved; the next run resumes from the last state that was. Fix the store (the reason names what failed) and rerun'; }
}

/**
 * The stored state cannot be read at all (permissions, the path is a directory, an I/O error): not a
 * commit failure, and not corrupt either. Never retried: a human must look. `reason` is the OS code.
 */
export class StateReadError extends StateError {
  readonly code = 'AIRDOCK_STATE_READ';
  readonly retryable = false;
  protected override defaultHint() { return 'Check that the state file is a readable file (the reason names what the system said)'; }
}

/** Stored state cannot be read back. Never retried: a human must look. */
export class StateCorruptError extends StateError {
  readonly code = 'AIRDOCK_STATE_CORRUPT';
  readonly retryable = false;
  protected override defaultHint() { return 'See the stored text with `airdock state show --raw <connection>`, then fix it with `airdock state set` or `airdock state clear`'; }
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
