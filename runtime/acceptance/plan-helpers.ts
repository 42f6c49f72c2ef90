import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { discoverCatalog, fail, skip, type CommandRunner, type ConformanceCheck } from '../../protocol/index.js';
import type { SuiteName, TestEntry } from './acceptance-config.js';
import type { PlanContext, PlannedTest } from './acceptance-plan.js';

/** CAT's default `config_path`. */
export const DEFAULT_CONFIG = 'secrets/config.json';

/** A check that does not run here, with the reason (reported as skipped). */
export const named = (name: string, reason: string): ConformanceCheck => ({ name, run: () => skip(reason) });

export const bypassed = (suite: SuiteName, name: string, reason: string): PlannedTest => ({ suite, name, check: named(name, `bypassed: ${reason}`), entry: {} });

/** CAT's high strictness rules that fail a test outright. */
export function strictnessProblem(suite: 'basic_read' | 'incremental', e: TestEntry, level: 'low' | 'high'): string | undefined {
  if (level !== 'high') return undefined;
  const prefix = 'High strictness level error: ';
  if (suite === 'incremental') {
    const fs = e.future_state as { future_state_path?: string; bypass_reason?: string } | undefined;
    return fs?.future_state_path || fs?.bypass_reason ? undefined : `${prefix}a future state configuration must be provided in high test strictness level or a bypass reason should be filled.`;
  }
  if (e.configured_catalog_path) return `${prefix}you can't set a custom configured catalog on the basic read test when strictness level is high.`;
  if (!e.expect_records) return `${prefix}expect_records must be configured for the basic_read test.`;
  const empty = (Array.isArray(e.empty_streams) ? e.empty_streams : []) as unknown[];
  if (empty.some((s) => typeof s === 'string' || !(s as { bypass_reason?: string }).bypass_reason)) return `${prefix}A bypass_reason must be filled in for all empty streams when test_strictness_level is set to high.`;
  return undefined;
}

/**
 * connector_attributes: `test_streams_define_primary_key`, which CAT runs for certified connectors only
 * (metadata.yaml beside the config with ab_internal.ql >= 400).
 */
export function attributeChecks(run: CommandRunner, e: TestEntry, config: unknown, ctx: PlanContext): ConformanceCheck[] {
  const certified = qualityLevel(ctx.config.basePath) >= 400;
  const allowed = new Set(((e.streams_without_primary_key ?? []) as { name: string }[]).map((s) => s.name));
  return [{
    name: 'test_streams_define_primary_key',
    async run() {
      if (!certified) skip('runs for certified connectors only (metadata.yaml with ab_internal.ql >= 400)');
      const missing = (await discoverCatalog(run, config)).streams.filter((s) => !s.source_defined_primary_key?.length && !allowed.has(s.name)).map((s) => s.name);
      if (missing.length > 0) fail(`these streams define no primary key (list them in streams_without_primary_key): ${missing.join(', ')}`);
    },
  }];
}

function qualityLevel(basePath: string): number {
  const file = join(basePath, 'metadata.yaml');
  if (!existsSync(file)) return 0;
  try {
    return Number((parseYaml(readFileSync(file, 'utf8')) as { data?: { ab_internal?: { ql?: number } } }).data?.ab_internal?.ql ?? 0);
  } catch {
    return 0;
  }
}
