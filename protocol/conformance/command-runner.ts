import type { AirbyteMessage } from '../generated/types.js';

export type ConformanceCommand = 'spec' | 'check' | 'discover' | 'read' | 'write';

export interface CommandInput {
  config?: unknown;
  catalog?: unknown;
  state?: unknown;
  /** Lines (without newline) fed to stdin, for `write`. */
  stdinLines?: readonly string[];
  /** Write the config file verbatim (to test unreadable configs); runners that cannot, omit the check. */
  rawConfig?: string;
}

/** What one connector command did, as the checks judge it. */
export interface CommandResult {
  exitCode: number;
  /** Protocol messages in order (LOG may be missing: some runners route it to their logger). */
  messages: AirbyteMessage[];
  /** Raw stdout lines that were protocol messages, in order (for byte-level checks such as STATE echoes). */
  rawLines: string[];
  stderr: string;
  /** Set when the runner stopped the connector (time limit) or could not start it: why. */
  stopped?: string;
}

/**
 * Runs one command of the connector under test. The conformance kit runs a definition in-process or
 * a program (sdk/testing); `airdock test` runs any ref through the runtime's one streamer.
 */
export type CommandRunner = (command: ConformanceCommand, input?: CommandInput) => Promise<CommandResult>;
