/** The conformance kit (`airdock/testing`): run it on any connector, native or image. */
export { runTargetCommand, type ConnectorTarget, type CommandResult, type CommandInput } from './connector-target.js';
export { ConformanceFailure, type ConformanceCheck } from './conformance-check.js';
export { sourceConformanceChecks, configureCatalog, type SourceConformanceOptions } from './source-conformance.js';
export { destinationConformanceChecks, conformanceCatalog, conformanceInput, type DestinationConformanceOptions } from './destination-conformance.js';
export { runConformance, type ConformanceResult } from './run-conformance.js';
export { describeSourceConformance, describeDestinationConformance } from './describe-conformance.js';
