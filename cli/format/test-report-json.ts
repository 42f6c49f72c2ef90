import type { AcceptanceReport } from '../../runtime/acceptance/index.js';

/** The `airdock test --json` document (version 1, documented in docs/testing.md). */
export function testReportJson(r: AcceptanceReport): Record<string, unknown> {
  const count = (s: string) => r.outcomes.filter((o) => o.status === s).length;
  const suites = [...new Set(r.outcomes.map((o) => o.suite))].map((name) => ({
    name,
    tests: r.outcomes.filter((o) => o.suite === name).map((o) => ({
      name: o.name, status: o.status, durationMs: o.durationMs, ...(o.message !== undefined ? { message: o.message } : {}),
    })),
  }));
  return {
    airdockTest: 1, ref: r.ref, connector: r.connector, kind: r.kind, ok: r.ok,
    counts: { tests: r.outcomes.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    durationMs: r.durationMs, connectorMs: r.connectorMs, connectorRuns: r.runs,
    overheadMs: Math.max(0, r.durationMs - r.connectorMs), warnings: r.warnings, suites,
  };
}
