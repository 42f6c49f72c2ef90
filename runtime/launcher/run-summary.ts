import type { AirbyteErrorTraceMessage } from '../../protocol/index.js';
import type { ExitStatus } from './backend.js';
import type { ConnectorCommand } from './argv.js';

/** What a finished run did: how it ended, and what it said. */
export interface RunSummary {
  runId: string;
  connector: string;
  command: ConnectorCommand;
  backend: string;
  exit: ExitStatus;
  durationMs: number;
  /** Messages by type (LOG included). */
  counts: Record<string, number>;
  records: number;
  /** Bytes of stdout lines that were protocol messages. */
  messageBytes: number;
  noiseLines: number;
  invalidLines: number;
  traceErrors: AirbyteErrorTraceMessage[];
  /** Last stderr lines (at most 200). */
  stderrTail: string[];
}
