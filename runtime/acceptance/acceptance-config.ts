import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AcceptanceConfigError, ConfigFileError } from '../../protocol/index.js';
import { checkShape, SUITE_SHAPES, TOP_SHAPES } from './acceptance-shapes.js';

export const SUITES = ['spec', 'connection', 'discovery', 'basic_read', 'full_refresh', 'incremental', 'write', 'connector_attributes', 'connector_documentation'] as const;
export type SuiteName = (typeof SUITES)[number];
export type TestEntry = Readonly<Record<string, unknown>>;

export interface SuiteConfig {
  /** The whole suite is bypassed (CAT's `bypass_reason` beside `tests`). */
  bypassReason?: string;
  tests: TestEntry[];
}

/** An acceptance-test-config.yml as CAT reads it (legacy layout migrated), relative paths against basePath. */
export interface AcceptanceConfig {
  file?: string;
  basePath: string;
  connectorImage?: string;
  strictness: 'low' | 'high';
  env: Record<string, string>;
  cacheDiscoveredCatalog: boolean;
  suites: Map<SuiteName, SuiteConfig>;
  /** Unknown keys and features airdock does not run: said once, never fatal. */
  warnings: string[];
}

export async function readAcceptanceConfig(file: string): Promise<AcceptanceConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError('The acceptance test config cannot be read', { cause: err, context: { path: file, reason: (err as NodeJS.ErrnoException).code } });
  }
  return parseAcceptanceConfig(text, { file: resolve(file) });
}

/**
 * Parses the YAML (1.1, as PyYAML reads it: `yes`/`no` are booleans), migrates the legacy layout
 * (`tests:` at the top, before CAT 0.2.12) as CAT does, checks every key, and collects warnings.
 */
export function parseAcceptanceConfig(text: string, o: { file?: string; dir?: string } = {}): AcceptanceConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { version: '1.1', prettyErrors: false });
  } catch (err) {
    throw new AcceptanceConfigError('The acceptance test config is not valid YAML', { cause: err, context: { path: o.file } });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new AcceptanceConfigError('The acceptance test config must be a mapping', { context: { path: o.file } });
  const warnings: string[] = [];
  const doc = migrateLegacy(raw as Record<string, unknown>, warnings);
  const found = { errors: [] as string[], unknown: [] as string[] };
  checkShape(doc, { object: TOP_SHAPES }, '', found);
  const suites = readSuites(doc.acceptance_tests, found);
  if (found.errors.length > 0) {
    throw new AcceptanceConfigError('The acceptance test config has a key of the wrong type', { context: { path: o.file, problem: found.errors[0]!.replace(/^\./, ''), problems: found.errors.length } });
  }
  warnings.push(...found.unknown.map((k) => `unknown key ${k.replace(/^\./, '')} (ignored)`));
  const dir = o.dir ?? (o.file ? dirname(o.file) : process.cwd());
  return {
    ...(o.file ? { file: o.file } : {}),
    basePath: typeof doc.base_path === 'string' ? resolve(dir, doc.base_path) : dir,
    ...(typeof doc.connector_image === 'string' ? { connectorImage: doc.connector_image } : {}),
    strictness: doc.test_strictness_level === 'high' ? 'high' : 'low',
    env: Object.fromEntries(Object.entries((doc.custom_environment_variables ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    cacheDiscoveredCatalog: doc.cache_discovered_catalog !== false,
    suites, warnings,
  };
}

function readSuites(value: unknown, found: { errors: string[]; unknown: string[] }): Map<SuiteName, SuiteConfig> {
  const out = new Map<SuiteName, SuiteConfig>();
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value)) { found.errors.push('acceptance_tests must be a mapping'); return out; }
  for (const [name, suite] of Object.entries(value as Record<string, unknown>)) {
    const shape = SUITE_SHAPES[name];
    if (!shape) { found.unknown.push(`acceptance_tests.${name}`); continue; }
    if (suite === null || suite === undefined) continue;
    checkShape(suite, { object: { bypass_reason: 'string', tests: { list: { object: shape } } } }, `acceptance_tests.${name}`, found);
    const s = suite as { bypass_reason?: string; tests?: TestEntry[] };
    out.set(name as SuiteName, { ...(s.bypass_reason ? { bypassReason: s.bypass_reason } : {}), tests: Array.isArray(s.tests) ? s.tests : [] });
  }
  return out;
}

/** CAT's migrate_legacy_to_current_config: `tests.<suite>: [...]` becomes `acceptance_tests.<suite>.tests`. */
function migrateLegacy(doc: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  if (!('tests' in doc)) return doc;
  warnings.push('the file uses the legacy layout (tests: at the top); read as CAT migrates it');
  const { tests, ...rest } = doc;
  const suites: Record<string, unknown> = {};
  for (const [name, list] of Object.entries((tests ?? {}) as Record<string, unknown>)) {
    const entries = (Array.isArray(list) ? list : []).map((e: Record<string, unknown>) => {
      const copy = { ...e };
      if ('future_state_path' in copy && name === 'incremental') { copy.future_state = { future_state_path: copy.future_state_path }; delete copy.future_state_path; }
      return copy;
    });
    suites[name] = { tests: entries };
  }
  return { ...rest, acceptance_tests: suites };
}
