import { AbortedError, ConformanceFailure, ConformanceSkip, UsageError, isAirdockError, ofType, type CommandResult } from '../../protocol/index.js';
import type { Connector } from '../connector.js';
import type { Runtime } from '../create-runtime.js';
import type { PullPolicy } from '../launcher/backend.js';
import type { Logger } from '../log/logger.js';
import { environment } from '../options.js';
import { SUITES, type AcceptanceConfig, type SuiteName, type TestEntry } from './acceptance-config.js';
import { AcceptanceFiles } from './acceptance-files.js';
import { planSuite, type PlanContext, type PlannedTest } from './acceptance-plan.js';
import { connectorCommandRunner, type RunStats } from './connector-command-runner.js';
import { defaultAcceptance, inferKind, SOURCE_SUITES, DESTINATION_SUITES } from './default-acceptance.js';
import { previousVersion } from './previous-version.js';
import { DEFAULT_SUITE_TIMEOUT_MS, type AcceptanceReport, type TestOutcome } from './test-outcome.js';

export interface AcceptanceOptions {
  runtime: Runtime;
  /** What to test; default the file's connector_image. */
  ref?: string;
  acceptance?: AcceptanceConfig;
  /** `--config`: the valid config (replaces config_path; without a file, the tests are built around it). */
  configFile?: string;
  suites?: readonly SuiteName[];
  kind?: 'source' | 'destination';
  /** Per-test limit when the file sets none (default CAT's per suite). */
  timeoutMs?: number;
  /** The previous version, for the backward compatibility tests. */
  previousRef?: string;
  pull?: PullPolicy;
  /** Docker network for images (CAT runs connectors on the host network, so local services are reachable). */
  networkMode?: string;
  signal?: AbortSignal;
  /** Called as each test ends (the CLI prints a line). */
  onTest?: (o: TestOutcome) => void;
  /** Where the connectors' own log lines go. */
  log?: Logger;
  /** Sees every connector config the tests read (to mask its secrets in what is printed). */
  onConfig?: (config: object) => void;
}

/**
 * `airdock test`: CAT's suites on any connector (image, native, local program), read from an
 * acceptance-test-config.yml or built around one config. Every connector run goes through the
 * Connector facade; tests run one after another, each within its time limit.
 */
export async function runAcceptance(o: AcceptanceOptions): Promise<AcceptanceReport> {
  const started = Date.now();
  const ref = o.ref ?? o.acceptance?.connectorImage;
  if (!ref) throw new UsageError('Name the connector to test', { hint: 'Pass <ref>, or --acceptance with a file that sets connector_image' });
  const connectors = connectorPool(o, ref);
  const main = await connectors(undefined);
  const kind = o.kind ?? inferKind(main.name, o.acceptance);
  const config = o.acceptance ?? defaultAcceptance(kind, o.configFile);
  const stats: RunStats = { runs: 0, connectorMs: 0 };
  const active: { signal?: AbortSignal } = {};
  const cache = new Map<string, Promise<CommandResult>>();
  const ctx: PlanContext = {
    config, kind, files: new AcceptanceFiles(config.basePath, environment(), o.onConfig),
    runner: (entry) => {
      const env = deploymentEnv(entry);
      const c = connectors(env);
      return async (command, input) => {
        if (input?.config !== null && typeof input?.config === 'object') await learnSecrets(o.runtime, input.config, cache);
        return connectorCommandRunner(await c, { stats, signal: () => active.signal, cache: env ? undefined : cache, cacheDiscover: config.cacheDiscoveredCatalog })(command, input);
      };
    },
    ...(o.configFile && o.acceptance ? { configOverride: o.configFile } : {}),
  };
  const previous = await previousVersion(o, ref, main, config);
  if (previous) ctx.previous = previous;
  const warnings = [...config.warnings];
  ctx.warnings = warnings;
  const planned = await plan(ctx, kind, o.suites, warnings);
  const outcomes: TestOutcome[] = [];
  for (const t of planned) {
    const outcome = await runTest(t, o, active);
    outcomes.push(outcome);
    o.onTest?.(outcome);
  }
  return {
    ref, connector: main.name, kind, outcomes, warnings, durationMs: Date.now() - started, connectorMs: stats.connectorMs, runs: stats.runs,
    ok: outcomes.every((x) => x.status !== 'failed'),
  };
}

/** One Connector per environment (custom_environment_variables, plus DEPLOYMENT_MODE per entry). */
function connectorPool(o: AcceptanceOptions, ref: string): (extra: Record<string, string> | undefined) => Promise<Connector> {
  const pool = new Map<string, Promise<Connector>>();
  return (extra) => {
    const key = JSON.stringify(extra ?? {});
    let c = pool.get(key);
    if (!c) {
      const env = { ...o.acceptance?.env, ...extra };
      c = o.runtime.connector(ref, { validate: false, ...(Object.keys(env).length ? { env } : {}), ...(o.pull ? { pull: o.pull } : {}),
        ...(o.networkMode ? { networkMode: o.networkMode } : {}), ...(o.log ? { log: o.log } : {}) });
      pool.set(key, c);
    }
    return c;
  };
}

/** Whatever the tests print, a config's secrets are masked: by field name, and by the spec's airbyte_secret once it is known. */
async function learnSecrets(runtime: Runtime, config: object, cache: Map<string, Promise<CommandResult>>): Promise<void> {
  const spec = await cache.get('spec')?.catch(() => undefined);
  runtime.redactor.addConfig(config, spec ? ofType(spec, 'SPEC')[0]?.spec.connectionSpecification : undefined);
}

const deploymentEnv = (e: TestEntry): Record<string, string> | undefined =>
  typeof e.deployment_mode === 'string' ? { DEPLOYMENT_MODE: e.deployment_mode.toUpperCase() } : undefined;

async function plan(ctx: PlanContext, kind: 'source' | 'destination', only: readonly SuiteName[] | undefined, warnings: string[]): Promise<PlannedTest[]> {
  const allowed = kind === 'source' ? SOURCE_SUITES : DESTINATION_SUITES;
  for (const s of only ?? []) {
    if (!allowed.includes(s)) warnings.push(`suite ${s} does not apply to a ${kind} (skipped)`);
    else if (!ctx.config.suites.has(s)) warnings.push(`suite ${s} is not in the acceptance config (nothing to run)`);
  }
  for (const s of ctx.config.suites.keys()) if (!allowed.includes(s)) warnings.push(`suite ${s} does not apply to a ${kind} (ignored)`);
  const out: PlannedTest[] = [];
  for (const suite of SUITES) {
    if (!allowed.includes(suite) || (only && !only.includes(suite))) continue;
    out.push(...await planSuite(suite, ctx));
  }
  return out;
}

async function runTest(t: PlannedTest, o: AcceptanceOptions, active: { signal?: AbortSignal }): Promise<TestOutcome> {
  const limitMs = typeof t.entry.timeout_seconds === 'number' ? t.entry.timeout_seconds * 1000 : o.timeoutMs ?? DEFAULT_SUITE_TIMEOUT_MS[t.suite];
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new AbortedError('The test ran out of time', { context: { limitSeconds: limitMs / 1000 } })), limitMs);
  const onAbort = () => ac.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  active.signal = ac.signal;
  const t0 = Date.now();
  const base = { suite: t.suite, name: t.name };
  try {
    await t.check.run();
    return { ...base, status: 'passed', durationMs: Date.now() - t0 };
  } catch (err) {
    if (o.signal?.aborted) throw o.signal.reason ?? new AbortedError('The run was interrupted');
    const durationMs = Date.now() - t0;
    if (err instanceof ConformanceSkip) return { ...base, status: 'skipped', durationMs, message: err.message };
    const timedOut = ac.signal.aborted ? `timed out after ${limitMs / 1000} s (timeout_seconds); ` : '';
    const message = err instanceof ConformanceFailure ? err.message : isAirdockError(err) ? err.describe() : err instanceof Error ? err.message : String(err);
    return { ...base, status: 'failed', durationMs, message: timedOut + message };
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    active.signal = undefined;
  }
}
