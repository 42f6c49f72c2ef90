/** Conformance checks: judgements over what a connector does, run through any CommandRunner. */
export type { CommandRunner, CommandInput, CommandResult, ConformanceCommand } from './command-runner.js';
export { ConformanceFailure, ConformanceSkip, fail, skip, ofType, fetchSpec, breakConfig, specCheck, configErrorCheck, checkSucceedsCheck, type ConformanceCheck } from './conformance-check.js';
export { sourceConformanceChecks, type SourceConformanceOptions } from './source-conformance.js';
export { destinationConformanceChecks, conformanceCatalog, conformanceInput, type DestinationConformanceOptions } from './destination-conformance.js';
export { runConformance, type ConformanceResult } from './run-conformance.js';
export * from './acceptance/index.js';
