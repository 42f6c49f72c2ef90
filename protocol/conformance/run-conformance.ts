import { ConformanceSkip, type ConformanceCheck } from './conformance-check.js';

/** `ok` is true for a passed or skipped check; `skipped` holds the reason a check did not apply. */
export interface ConformanceResult { name: string; ok: boolean; error?: string; skipped?: string }

/** Runs checks outside a test runner (e.g. from a script) and reports each one. */
export async function runConformance(checks: readonly ConformanceCheck[]): Promise<ConformanceResult[]> {
  const out: ConformanceResult[] = [];
  for (const c of checks) {
    try {
      await c.run();
      out.push({ name: c.name, ok: true });
    } catch (e) {
      if (e instanceof ConformanceSkip) { out.push({ name: c.name, ok: true, skipped: e.message }); continue; }
      out.push({ name: c.name, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
