/** `airdock test`: CAT's acceptance suites on any connector. */
export { runAcceptance, type AcceptanceOptions } from './run-acceptance.js';
export { readAcceptanceConfig, parseAcceptanceConfig, SUITES, type AcceptanceConfig, type SuiteName, type SuiteConfig, type TestEntry } from './acceptance-config.js';
export { DEFAULT_SUITE_TIMEOUT_MS, type AcceptanceReport, type TestOutcome, type TestStatus } from './test-outcome.js';
