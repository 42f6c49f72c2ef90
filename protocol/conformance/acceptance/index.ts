/** CAT's suites as conformance checks, for `airdock test` and the kit. */
export { specSuite, type SpecSuiteOptions } from './spec-suite.js';
export { connectionSuite, type ConnectionStatusExpected } from './connection-suite.js';
export { discoverySuite, discoverCatalog, type DiscoverySuiteOptions } from './discovery-suite.js';
export { basicReadSuite, type BasicReadOptions } from './basic-read-suite.js';
export { fullRefreshSuite, type FullRefreshOptions } from './full-refresh-suite.js';
export { incrementalSuite, type IncrementalOptions } from './incremental-suite.js';
export { writeSuite } from './write-suite.js';
export type { ExpectedRecords } from './expected-records.js';
export { compareCursor } from './cursor-order.js';
export { specCompatibility } from './spec-compatibility.js';
export { catalogCompatibility } from './catalog-compatibility.js';
