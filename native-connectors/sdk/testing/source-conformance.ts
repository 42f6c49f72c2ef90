import { sourceConformanceChecks as checksFor, type ConformanceCheck, type SourceConformanceOptions } from '../../../protocol/index.js';
import { runnerFor, type ConnectorTarget } from './connector-target.js';

export type { SourceConformanceOptions } from '../../../protocol/index.js';

/**
 * The source checks, as plain async functions (run them from any test runner; see
 * describeSourceConformance for vitest). Works on a definition in-process or on any command.
 */
export function sourceConformanceChecks(target: ConnectorTarget, o: SourceConformanceOptions): ConformanceCheck[] {
  return checksFor(runnerFor(target), o);
}
