import { secretsInClear, weakTransport } from './security-rules.js';
import { dedupWithoutKey, incrementalForLargeTables, pinStreams } from './stream-rules.js';
import { cdcReadiness, parallelReads, statementTimeout } from './postgres-rules.js';
import { clickhouseAsyncInsert, compression, fakerAlwaysUpdated, s3Partitioning } from './performance-rules.js';
import { imageVersions } from './version-rules.js';
import type { ConnectionFacts, Rule, Suggestion } from './suggestion.js';

/** Every rule; each looks only at the facts it needs and says nothing when they are absent. */
export const RULES: readonly Rule[] = [
  secretsInClear, weakTransport, cdcReadiness, dedupWithoutKey, incrementalForLargeTables, parallelReads, statementTimeout,
  compression, s3Partitioning, clickhouseAsyncInsert, fakerAlwaysUpdated, imageVersions, pinStreams,
];

const SEVERITY = { critical: 0, warning: 1, info: 2 } as const;

/** Suggestions for a connection, most severe first; pure: the same facts give the same list. */
export function runRules(facts: ConnectionFacts, rules: readonly Rule[] = RULES): Suggestion[] {
  const out = rules.flatMap((r) => r(facts));
  return out.map((s, i) => ({ s, i })).sort((a, b) => SEVERITY[a.s.severity] - SEVERITY[b.s.severity] || a.i - b.i).map((x) => x.s);
}
