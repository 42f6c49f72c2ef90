/**
 * The conformance kit (`airdock/testing`): run it on any connector, native or image. The checks
 * themselves live in protocol/conformance, shared with `airdock test` (runtime/acceptance).
 */
export { runTargetCommand, runnerFor, type ConnectorTarget, type CommandResult, type CommandInput } from './connector-target.js';
export {
  ConformanceFailure, ConformanceSkip, configureCatalog, conformanceCatalog, conformanceInput, runConformance,
  type ConformanceCheck, type ConformanceResult, type CommandRunner,
} from '../../../protocol/index.js';
// CAT's suites (spec, connection, discovery, basic_read, full_refresh, incremental, write): give them runnerFor(target).
export {
  specSuite, connectionSuite, discoverySuite, basicReadSuite, fullRefreshSuite, incrementalSuite, writeSuite,
} from '../../../protocol/index.js';
export { sourceConformanceChecks, type SourceConformanceOptions } from './source-conformance.js';
export { destinationConformanceChecks, type DestinationConformanceOptions } from './destination-conformance.js';
export { describeSourceConformance, describeDestinationConformance } from './describe-conformance.js';
