import { resolve } from 'node:path';
import type { AcceptanceConfig, SuiteName, SuiteConfig } from './acceptance-config.js';

export const SOURCE_SUITES: readonly SuiteName[] = ['spec', 'connection', 'discovery', 'basic_read', 'full_refresh', 'incremental', 'connector_attributes', 'connector_documentation'];
export const DESTINATION_SUITES: readonly SuiteName[] = ['spec', 'connection', 'write'];

/** A destination is named so (airbyte/destination-x, native:destination-x) or tested with a write suite. */
export function inferKind(name: string, acceptance: AcceptanceConfig | undefined): 'source' | 'destination' {
  if (acceptance?.suites.has('write')) return 'destination';
  if (acceptance && [...acceptance.suites.keys()].some((s) => s !== 'spec' && s !== 'connection')) return 'source';
  return /(^|[/:_-])destination-/.test(name) || name.startsWith('destination') ? 'destination' : 'source';
}

/** Without an acceptance file: every suite of the kind around `--config` (only spec without one). */
export function defaultAcceptance(kind: 'source' | 'destination', configFile: string | undefined): AcceptanceConfig {
  const suites = new Map<SuiteName, SuiteConfig>();
  const entry = configFile ? { config_path: resolve(configFile) } : undefined;
  suites.set('spec', { tests: [entry ?? {}] });
  const warnings: string[] = [];
  if (entry) {
    suites.set('connection', { tests: [{ ...entry, status: 'succeed' }] });
    const rest: SuiteName[] = kind === 'source' ? ['discovery', 'basic_read', 'full_refresh', 'incremental'] : ['write'];
    for (const s of rest) suites.set(s, { tests: [entry] });
  } else {
    warnings.push('no --config and no --acceptance file: only the spec suite runs');
  }
  return { basePath: process.cwd(), strictness: 'low', env: {}, cacheDiscoveredCatalog: true, suites, warnings };
}
