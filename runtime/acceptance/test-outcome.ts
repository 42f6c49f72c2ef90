import type { SuiteName } from './acceptance-config.js';

export type TestStatus = 'passed' | 'failed' | 'skipped';

/** How one test went: what `airdock test` prints one line for, and JUnit and `--json` report. */
export interface TestOutcome {
  suite: SuiteName;
  name: string;
  status: TestStatus;
  durationMs: number;
  /** Why it failed, or why it was skipped. */
  message?: string;
}

export interface AcceptanceReport {
  ref: string;
  connector: string;
  kind: 'source' | 'destination';
  outcomes: TestOutcome[];
  warnings: string[];
  /** Wall time of the whole run. */
  durationMs: number;
  /** Sum of the connector's own run times (what the tests cannot avoid). */
  connectorMs: number;
  runs: number;
  ok: boolean;
}

/** CAT's pytest time limits per suite (ms), used when an entry sets no timeout_seconds. */
export const DEFAULT_SUITE_TIMEOUT_MS: Readonly<Record<SuiteName, number>> = {
  spec: 60_000, connection: 60_000, discovery: 300_000, basic_read: 600_000, full_refresh: 1_200_000, incremental: 1_200_000,
  write: 600_000, connector_attributes: 600_000, connector_documentation: 60_000,
};
