import type { ConformanceCheck } from './conformance-check.js';

export interface ConformanceResult { name: string; ok: boolean; error?: string }

/** Runs checks outside a test runner (e.g. from a script) and reports each one. */
export async function runConformance(checks: readonly ConformanceCheck[]): Promise<ConformanceResult[]> {
  const out: ConformanceResult[] = [];
  for (const c of checks) {
    try {
      await c.run();
      out.push({ name: c.name, ok: true });
    } catch (e) {
      out.push({ name: c.name, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
