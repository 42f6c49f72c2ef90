import type { AirbyteStateMessage } from '../../protocol/index.js';

/**
 * Where a connection's committed state lives between runs. Every store holds the same thing: the
 * array a source gets as `--state` (STREAM states, one GLOBAL, or one LEGACY), written whole and
 * atomically, so a reader never sees half of an update.
 */
export interface StateStore extends AsyncDisposable {
  /** Human-readable location for messages (`file .airdock/state/x.json`, `postgres table airdock_state`). */
  readonly describe: string;
  /** The committed state, `[]` when there is none. StateCorruptError when it cannot be read back. */
  load(connection: string): Promise<AirbyteStateMessage[]>;
  /** The stored text as it is, unparsed (`state show --raw`, to see a corrupt state); undefined when there is none. */
  loadText(connection: string): Promise<string | undefined>;
  /** Replaces the state atomically. StateCommitError when it cannot be written. */
  save(connection: string, states: readonly AirbyteStateMessage[]): Promise<void>;
  clear(connection: string): Promise<void>;
  /**
   * Small records kept beside a connection's state (the circuit breaker's, the last sync id), as JSON: undefined when
   * there is none. Saving undefined deletes it. Written atomically, like the state.
   */
  loadRecord(connection: string, kind: RecordKind): Promise<unknown>;
  saveRecord(connection: string, kind: RecordKind, value: unknown): Promise<void>;
  /**
   * Takes the connection's exclusive lock for one run (a sync, `state set|clear`): StateLockedError,
   * naming the holder, when another live process has it. A lock its dead owner left is taken over.
   */
  lock(connection: string, purpose: string): Promise<StateLock>;
  close(): Promise<void>;
}

export type RecordKind = 'circuit' | 'runs' | 'ready' | 'sync';

/** Who holds a connection's lock. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  since: string;
  purpose?: string;
}

export interface StateLock extends AsyncDisposable {
  /** Set when the lock was taken over from a process that had died holding it. */
  readonly tookOverFrom?: LockHolder;
  release(): Promise<void>;
}

/** Connection names become file names and table keys: keep them boring. */
export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
