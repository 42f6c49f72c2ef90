import type { FailureType } from '../../protocol/index.js';

/** One reason an attempt failed, as the platform reports it: who, what kind, whether a retry may help. */
export interface AttemptFailure {
  origin: 'source' | 'destination' | 'runtime';
  failureType: FailureType;
  message: string;
  retryable: boolean;
  /** The side's last log lines (LOG messages, TRACE errors, stderr) when it failed. */
  lastLogLines: string[];
  at: number;
}

export interface AttemptResult {
  status: 'succeeded' | 'failed' | 'aborted';
  /** Most telling first: what went wrong during the run, then the source's ending, then the destination's. */
  failures: AttemptFailure[];
}
