import {
  basicReadSuite, connectionSuite, fail, discoverySuite, fullRefreshSuite, incrementalSuite, specSuite, writeSuite,
  type AirbyteCatalog, type CommandRunner, type ConfiguredAirbyteCatalog, type ConformanceCheck, type ConnectorSpecification,
} from '../../protocol/index.js';
import type { AcceptanceConfig, SuiteName, TestEntry } from './acceptance-config.js';
import type { AcceptanceFiles } from './acceptance-files.js';
import { attributeChecks, bypassed, DEFAULT_CONFIG, named, strictnessProblem } from './plan-helpers.js';

/** One test to run: its suite, its JUnit name, the check, and the entry it came from. */
export interface PlannedTest {
  suite: SuiteName;
  name: string;
  check: ConformanceCheck;
  entry: TestEntry;
}

export interface PlanContext {
  config: AcceptanceConfig;
  files: AcceptanceFiles;
  kind: 'source' | 'destination';
  /** A runner for one entry (its deployment_mode sets the connector's environment). */
  runner: (entry: TestEntry) => CommandRunner;
  /** `--config`: replaces config_path wherever a valid config is expected. */
  configOverride?: string;
  /** Where planning notes what it accepts but does not run. */
  warnings?: string[];
  /** The previous version of the connector, for the backward compatibility tests. */
  previous?: { spec(): Promise<ConnectorSpecification | undefined>; catalog(config: unknown): Promise<AirbyteCatalog | undefined> };
}

/** The checks of one suite, entry by entry (names get `[i]` when the suite has several entries). */
export async function planSuite(suite: SuiteName, ctx: PlanContext): Promise<PlannedTest[]> {
  const s = ctx.config.suites.get(suite);
  if (!s) return [];
  if (s.bypassReason) return [bypassed(suite, `test_${suite}`, s.bypassReason)];
  const out: PlannedTest[] = [];
  for (const [i, entry] of s.tests.entries()) {
    if (entry.client_container_config) ctx.warnings?.push(`${suite}: client_container_config is accepted but its setup/teardown containers are not run`);
    const checks = await suiteChecks(suite, entry, ctx);
    for (const check of checks) out.push({ suite, name: s.tests.length > 1 ? `${check.name}[${i}]` : check.name, check, entry });
  }
  return out;
}

async function suiteChecks(suite: SuiteName, e: TestEntry, ctx: PlanContext): Promise<ConformanceCheck[]> {
  const run = ctx.runner(e);
  switch (suite) {
    case 'spec': return specSuite(run, await specInputs(e, ctx));
    case 'connection': return connectionChecks(e, ctx);
    case 'discovery': {
      const config = await validConfig(e, ctx);
      const previousCatalog = await ctx.previous?.catalog(config);
      return discoverySuite(run, { config, validatePrimaryKeysDataType: e.validate_primary_keys_data_type !== false, ...(previousCatalog ? { previousCatalog } : {}) });
    }
    case 'basic_read': return basicReadChecks(run, e, ctx);
    case 'full_refresh': return fullRefreshSuite(run, { config: await validConfig(e, ctx), ...(await customCatalog(e, ctx)), ignoredFields: nameMap(e.ignored_fields) });
    case 'incremental': return incrementalChecks(run, e, ctx);
    case 'write': return writeSuite(run, { config: await validConfig(e, ctx) });
    case 'connector_attributes': return attributeChecks(run, e, await validConfig(e, ctx), ctx);
    case 'connector_documentation': return [named('test_connector_documentation', 'needs the Airbyte documentation tree, which airdock does not read')];
  }
}

export async function validConfig(e: TestEntry, ctx: PlanContext, key = 'config_path'): Promise<Record<string, unknown>> {
  if (ctx.configOverride && key === 'config_path') return ctx.files.object(ctx.configOverride, '--config');
  return ctx.files.object(String(e[key] ?? DEFAULT_CONFIG), key);
}

// CAT's defaults (secrets/config.json, secrets/spec.json) apply only with a file; a missing spec_path skips the comparison.
async function specInputs(e: TestEntry, ctx: PlanContext) {
  const fromFile = ctx.config.file !== undefined;
  const configPath = ctx.configOverride ?? (typeof e.config_path === 'string' ? e.config_path : fromFile ? DEFAULT_CONFIG : undefined);
  const config = configPath && (ctx.files.exists(configPath) || e.config_path !== undefined) ? await validConfig(e, ctx) : undefined;
  const specPath = typeof e.spec_path === 'string' ? e.spec_path : fromFile ? 'secrets/spec.json' : undefined;
  const expected = specPath && ctx.files.exists(specPath) ? asSpec(await ctx.files.document(specPath, 'spec_path')) : undefined;
  const previousSpec = await ctx.previous?.spec();
  return { kind: ctx.kind, ...(config ? { config } : {}), ...(expected !== undefined ? { expectedSpec: expected } : {}), ...(previousSpec ? { previousSpec } : {}) };
}

// A spec file is a ConnectorSpecification, or a low-code manifest holding one under `spec`.
function asSpec(doc: unknown): unknown {
  const m = doc as { spec?: { connection_specification?: unknown; documentation_url?: unknown } };
  if (m?.spec?.connection_specification) return { connectionSpecification: m.spec.connection_specification, ...(m.spec.documentation_url ? { documentationUrl: m.spec.documentation_url } : {}) };
  return doc;
}

async function connectionChecks(e: TestEntry, ctx: PlanContext): Promise<ConformanceCheck[]> {
  const status = (e.status as 'succeed' | 'failed' | 'exception' | undefined) ?? 'succeed';
  const config = status === 'succeed' ? await validConfig(e, ctx) : await ctx.files.object(String(e.config_path ?? DEFAULT_CONFIG), 'config_path');
  const checks = connectionSuite(ctx.runner(e), { config, status });
  // The legacy layout named the invalid config beside the valid one.
  if (typeof e.invalid_config_path === 'string') {
    const invalid = await ctx.files.object(e.invalid_config_path, 'invalid_config_path');
    checks.push(...connectionSuite(ctx.runner(e), { config: invalid, status: 'failed' }).map((c) => ({ ...c, name: `${c.name}_invalid_config` })));
  }
  return checks;
}

async function customCatalog(e: TestEntry, ctx: PlanContext): Promise<{ configuredCatalog?: ConfiguredAirbyteCatalog }> {
  if (typeof e.configured_catalog_path !== 'string') return {};
  return { configuredCatalog: await ctx.files.object(e.configured_catalog_path, 'configured_catalog_path') as unknown as ConfiguredAirbyteCatalog };
}

async function basicReadChecks(run: CommandRunner, e: TestEntry, ctx: PlanContext): Promise<ConformanceCheck[]> {
  const x = (e.expect_records ?? undefined) as { path?: string; exact_order?: boolean; extra_fields?: boolean; extra_records?: boolean } | undefined;
  const expectRecords = x?.path ? { records: await ctx.files.records(x.path, 'expect_records.path'), exactOrder: x.exact_order === true, extraFields: x.extra_fields === true, extraRecords: x.extra_records !== false } : undefined;
  const checks = basicReadSuite(run, {
    config: await validConfig(e, ctx), ...(await customCatalog(e, ctx)), ...(expectRecords ? { expectRecords } : {}),
    emptyStreams: nameList(e.empty_streams), ignoredFields: nameMap(e.ignored_fields),
    // the legacy key said whether to check that every stream has records, off by default
    validateEmptyStreams: e.validate_output_from_all_streams !== false,
    validateSchema: e.validate_schema !== false, failOnExtraColumns: e.fail_on_extra_columns !== false,
    validateStateMessages: e.validate_state_messages !== false, validateStreamStatuses: e.validate_stream_statuses === true,
    validatePrimaryKeysDataType: e.validate_primary_keys_data_type !== false, validateDataPoints: e.validate_data_points === true,
    expectTraceMessageOnFailure: e.expect_trace_message_on_failure !== false,
  });
  const problem = strictnessProblem('basic_read', e, ctx.config.strictness);
  return problem ? [failing(checks[0]!, problem), ...checks.slice(1)] : checks;
}

async function incrementalChecks(run: CommandRunner, e: TestEntry, ctx: PlanContext): Promise<ConformanceCheck[]> {
  const fs = (e.future_state ?? undefined) as { future_state_path?: string; missing_streams?: unknown; bypass_reason?: string } | undefined;
  const futureState = fs?.future_state_path ? await ctx.files.document(fs.future_state_path, 'future_state.future_state_path') : undefined;
  const checks = incrementalSuite(run, {
    config: await validConfig(e, ctx), ...(await customCatalog(e, ctx)), ...(futureState !== undefined ? { futureState } : {}),
    futureMissingStreams: nameList(fs?.missing_streams),
    cursorPaths: (e.cursor_paths ?? {}) as Record<string, (string | number)[]>,
    thresholdDays: Number(e.threshold_days ?? 0), skipComprehensiveIncrementalTests: e.skip_comprehensive_incremental_tests === true,
  });
  if (fs?.bypass_reason) checks[2] = named(checks[2]!.name, `future_state is bypassed: ${fs.bypass_reason}`);
  const problem = strictnessProblem('incremental', e, ctx.config.strictness);
  return problem ? [...checks.slice(0, 2), failing(checks[2]!, problem)] : checks;
}

/** `empty_streams`, `missing_streams`: names or {name, bypass_reason}. */
function nameList(v: unknown): string[] {
  return (Array.isArray(v) ? v : []).map((i) => (typeof i === 'string' ? i : String((i as { name?: unknown }).name)));
}

/** `ignored_fields`: per stream, field names or {name, bypass_reason}. */
function nameMap(v: unknown): Record<string, string[]> {
  return Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [k, nameList(x)]));
}

const failing = (c: ConformanceCheck, message: string): ConformanceCheck => ({ name: c.name, run: () => fail(message) });
