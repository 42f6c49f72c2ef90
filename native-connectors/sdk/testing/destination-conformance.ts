import { destinationConformanceChecks as checksFor, type ConformanceCheck, type DestinationConformanceOptions } from '../../../protocol/index.js';
import { runnerFor, type ConnectorTarget } from './connector-target.js';

export type { DestinationConformanceOptions } from '../../../protocol/index.js';

/** The destination checks (spec, check, config errors, STATE echoes) on a definition or any command. */
export function destinationConformanceChecks(target: ConnectorTarget, o: DestinationConformanceOptions): ConformanceCheck[] {
  return checksFor(runnerFor(target), o);
}
