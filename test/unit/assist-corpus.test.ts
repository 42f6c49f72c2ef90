import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../catalog/index.js';
import { isAirdockError } from '../../protocol/index.js';
import { bundledSpec } from '../../runtime/assist/bundled-specs.js';
import { draftFromText, type ConnectorDraft, type TextDraft } from '../../runtime/assist/draft-from-text.js';
import type { CatalogItem } from '../../runtime/assist/pick-connectors.js';
import { corpus, type CorpusCase, type CorpusSide } from '../fixtures/assist/corpus.js';

/**
 * The corpus test: every hand-written description through the offline drafter, scored field by
 * field against the config a person would write. Precision counts only what the drafter claims to
 * have read from the text (and secret placeholders), not the spec defaults it fills for required
 * fields. Targets: precision ≥ 0.95, recall ≥ 0.9; refusals must refuse.
 */
let catalog: CatalogItem[];
const specFor = async (name: string) => {
  const spec = bundledSpec(name);
  return spec ? { spec, origin: 'bundled' as const } : undefined;
};

type Outcome = { draft?: TextDraft; error?: unknown };
const outcomes = new Map<CorpusCase, Outcome>();

beforeAll(async () => {
  catalog = loadSeed().entries.filter((e) => e.tombstone !== true && e.public !== false);
  for (const c of corpus) {
    try {
      outcomes.set(c, { draft: await draftFromText(c.text, { catalog, specFor }) });
    } catch (error) {
      outcomes.set(c, { error });
    }
  }
});

function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) for (const [p, x] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(p, x);
  } else out.set(prefix, value);
  return out;
}

/** Leaves the drafter read from the text (or made placeholders for), not spec defaults. */
function claimed(d: ConnectorDraft): Map<string, unknown> {
  const skip = new Set(d.origins.filter((o) => o.origin === 'default' || o.origin === 'example').map((o) => o.path));
  return new Map([...leaves(d.config)].filter(([p]) => !skip.has(p)));
}

interface Score { tp: number; produced: number; expected: number; misses: string[] }

function scoreSide(expected: CorpusSide | undefined, got: ConnectorDraft | undefined, label: string, s: Score): void {
  const want = expected ? leaves(expected.config) : new Map<string, unknown>();
  const have = got ? claimed(got) : new Map<string, unknown>();
  if (expected && got && got.technicalName !== expected.connector) {
    s.misses.push(`${label}: picked ${got.technicalName}, expected ${expected.connector}`);
    s.expected += want.size;
    s.produced += have.size;
    return;
  }
  if (!expected && got) s.misses.push(`${label}: unexpected ${got.technicalName}`);
  if (expected && !got) s.misses.push(`${label}: nothing drafted, expected ${expected.connector}`);
  s.expected += want.size;
  s.produced += have.size;
  for (const [p, v] of have) {
    if (want.has(p) && isDeepStrictEqual(want.get(p), v)) s.tp++;
    else s.misses.push(`${label}: extra ${p}=${JSON.stringify(v)}${want.has(p) ? ` (expected ${JSON.stringify(want.get(p))})` : ''}`);
  }
  for (const [p, v] of want) if (!have.has(p)) s.misses.push(`${label}: missing ${p}=${JSON.stringify(v)}`);
  for (const q of expected?.questions ?? []) {
    if (!got?.questions.some((x) => x.path === q)) s.misses.push(`${label}: should ask ${q}`);
  }
}

describe('config new corpus', () => {
  it('has at least 40 descriptions over at least 10 connectors, sources and destinations, with refusals', () => {
    const connectors = new Set(corpus.flatMap((c) => [c.source?.connector, c.destination?.connector]).filter(Boolean));
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(connectors.size).toBeGreaterThanOrEqual(10);
    expect([...connectors].some((c) => c!.startsWith('destination-'))).toBe(true);
    expect(corpus.filter((c) => c.refuse).length).toBeGreaterThanOrEqual(4);
  });

  function score(cases: readonly CorpusCase[]): Score {
    const s: Score = { tp: 0, produced: 0, expected: 0, misses: [] };
    for (const c of cases) {
      if (c.refuse) continue;
      const o = outcomes.get(c)!;
      const label = c.text.slice(0, 48);
      if (o.error) {
        s.misses.push(`${label}: refused (${isAirdockError(o.error) ? o.error.describe() : String(o.error)})`);
        for (const side of [c.source, c.destination]) if (side) s.expected += leaves(side.config).size;
        continue;
      }
      scoreSide(c.source, o.draft!.source, `${label} [source]`, s);
      scoreSide(c.destination, o.draft!.destination, `${label} [destination]`, s);
      if (c.streams) {
        const names = o.draft!.streams.map((x) => x.name);
        if (!isDeepStrictEqual(names, c.streams)) s.misses.push(`${label}: streams ${JSON.stringify(names)}, expected ${JSON.stringify(c.streams)}`);
      }
    }
    return s;
  }

  function report(name: string, cases: readonly CorpusCase[], s: Score): { precision: number; recall: number } {
    const precision = s.tp / s.produced;
    const recall = s.tp / s.expected;
    console.log(`[config new corpus] ${name}: ${cases.length} descriptions, ${s.expected} expected fields: precision ${precision.toFixed(3)} (${s.tp}/${s.produced}), recall ${recall.toFixed(3)} (${s.tp}/${s.expected})`);
    if (s.misses.length > 0) console.log(`[config new corpus] ${name} differences:\n  ${s.misses.join('\n  ')}`);
    return { precision, recall };
  }

  it('reaches precision ≥ 0.95 and recall ≥ 0.9, field by field', () => {
    const all = report('all', corpus, score(corpus));
    const heldOut = corpus.filter((c) => c.heldOut);
    report('held out', heldOut, score(heldOut));
    expect(all.precision).toBeGreaterThanOrEqual(0.95);
    expect(all.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses or asks, listing candidates, where the words do not pick one connector', () => {
    for (const c of corpus.filter((x) => x.refuse)) {
      const o = outcomes.get(c)!;
      expect(o.error, c.text).toBeDefined();
      expect(isAirdockError(o.error) && o.error.code, c.text).toBe(c.refuse!.code);
      const candidates = (o.error as { candidates?: string[] }).candidates ?? [];
      for (const want of c.refuse!.candidates ?? []) expect(candidates, c.text).toContain(want);
    }
  });

  it('never carries a secret of the text into any part of the draft', () => {
    for (const c of corpus.filter((x) => x.secrets)) {
      const o = outcomes.get(c)!;
      const everything = JSON.stringify(o.draft ?? {}) + String(o.error ?? '');
      for (const secret of c.secrets!) expect(everything.includes(secret), `${c.text} leaked a secret`).toBe(false);
      expect(o.draft!.notes.join(' ')).toMatch(/never copies secrets/);
    }
  });
});

describe("the issue's example sentence", () => {
  const sentence = "Connect to our production PostgreSQL database on aws-prod-db.company.com running on port 5432. Use read-only user 'analytics_reader' and enable SSL connections. Set up connection pooling for high performance.";

  it('gives a source-postgres config with ssl_mode require, pooling options and ${POSTGRES_PASSWORD}, asking only for the database', async () => {
    const draft = await draftFromText(sentence, { catalog, specFor });
    const source = draft.source!;
    expect(source.technicalName).toBe('source-postgres');
    expect(source.config).toMatchObject({ host: 'aws-prod-db.company.com', port: 5432, username: 'analytics_reader', ssl_mode: { mode: 'require' }, pool_size: 10, parallel_reads: 4, password: '${POSTGRES_PASSWORD}' });
    expect(source.env).toEqual([{ variable: 'POSTGRES_PASSWORD', path: 'password', fromText: false }]);
    expect(source.questions.map((q) => q.path)).toEqual(['database']);
    expect(source.issues).toEqual([{ path: '/database', message: 'is required' }]);
    const { validateConfig } = await import('../../protocol/index.js');
    expect(validateConfig({ ...source.config, database: 'analytics' }, source.spec)).toEqual([]);
  });
});
