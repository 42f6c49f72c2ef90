import { editDistanceWithin } from './edit-distance.js';
import type { ConnectorEntry } from './entry.js';

/** How a hit matched, best first. The CLI shows it; `--json` carries it as `match`. */
export type MatchKind = 'exact' | 'prefix' | 'word' | 'substring' | 'fuzzy';

export interface SearchHit {
  entry: ConnectorEntry;
  match: MatchKind;
}

/** Lower-cased views of one entry, computed once when the index is built. */
export interface SearchDoc {
  entry: ConnectorEntry;
  name: string;
  tech: string;
  /** The technical name without its type: `postgres` for `source-postgres`. */
  bare: string;
  repo: string;
  /** Name and technical name with separators removed: `googlesheets`. */
  squashed: string[];
  words: string[];
  /** Everything a substring may hit, joined. */
  haystack: string;
}

const TIER: Record<MatchKind, number> = { exact: 5, prefix: 4, word: 3, substring: 2, fuzzy: 1 };
const SUPPORT_RANK: Record<string, number> = { certified: 0, community: 1 };

export function buildSearchDoc(entry: ConnectorEntry): SearchDoc {
  const name = entry.name.toLowerCase();
  const tech = entry.technicalName.toLowerCase();
  const bare = bareName(tech);
  const words = [...new Set([...split(name), ...split(bare)])];
  return {
    entry, name, tech, bare, repo: entry.dockerRepository.toLowerCase(),
    squashed: [...new Set([squash(name), squash(bare)])],
    words, haystack: `${name} ${tech}`,
  };
}

/** `source-postgres` → `postgres`; third-party `airbyte-jenkins-source` → `jenkins`. */
export function bareName(tech: string): string {
  return tech.replace(/^(source|destination)-/, '').replace(/^airbyte-(.+)-(source|destination)$/, '$1');
}

/**
 * Ranks entries for a free-text query: exact name > prefix > every word matched > substring >
 * fuzzy (typos). Ties go to certified, then sources, then native, then shorter names, so
 * `postgres` lists source-postgres first (also when only the destination is native).
 */
export function searchDocs(docs: readonly SearchDoc[], query: string, limit = Number.POSITIVE_INFINITY): SearchHit[] {
  const q = query.trim().toLowerCase();
  const tokens = split(q);
  if (tokens.length === 0) return [];
  const qs = tokens.join('');
  const scored: Array<{ doc: SearchDoc; tier: number; sub: number; match: MatchKind }> = [];
  for (const doc of docs) {
    const m = matchDoc(doc, q, qs, tokens);
    if (m) scored.push({ doc, ...m, tier: TIER[m.match] });
  }
  scored.sort((a, b) => b.tier - a.tier || b.sub - a.sub || tieBreak(a.doc, b.doc));
  return scored.slice(0, limit).map((s) => ({ entry: s.doc.entry, match: s.match }));
}

function matchDoc(d: SearchDoc, q: string, qs: string, tokens: string[]): { match: MatchKind; sub: number } | undefined {
  if (q === d.name || q === d.tech || q === d.bare || q === d.repo || q === d.entry.definitionId || d.squashed.includes(qs)) {
    return { match: 'exact', sub: 0 };
  }
  for (const target of [d.name, d.bare, d.tech]) {
    // No length bonus among prefixes: for `google`, certified Google Sheets beats community Google Forms.
    if (target.startsWith(q)) return { match: 'prefix', sub: 0 };
  }
  let exactWords = 0;
  let allWords = true;
  for (const t of tokens) {
    let hit = false;
    for (const w of d.words) {
      if (w === t) { exactWords++; hit = true; break; }
      if (w.startsWith(t)) hit = true;
    }
    if (!hit) { allWords = false; break; }
  }
  if (allWords) return { match: 'word', sub: exactWords };
  if (tokens.every((t) => d.haystack.includes(t))) return { match: 'substring', sub: 0 };
  // Fuzzy: each token is a prefix/substring hit or within a few typos of a word (or of the whole
  // squashed name, for `googlesheet`). Short tokens get no typo budget: `sql` is not `sqs`.
  let distance = 0;
  for (const t of tokens) {
    if (d.haystack.includes(t)) continue;
    const max = t.length <= 3 ? 0 : t.length <= 5 ? 1 : 2;
    if (max === 0) return undefined;
    let best = max + 1;
    for (const w of tokens.length === 1 ? [...d.words, ...d.squashed] : d.words) {
      const dist = editDistanceWithin(t, w, max);
      if (dist < best) best = dist;
      // A typo in the first letters of a longer word: `postgress sql` style prefixes.
      if (w.length > t.length) {
        const p = editDistanceWithin(t, w.slice(0, t.length), max);
        if (p + 1 < best) best = p + 1;
      }
    }
    if (best > max) return undefined;
    distance += best;
  }
  return { match: 'fuzzy', sub: -distance };
}

function tieBreak(a: SearchDoc, b: SearchDoc): number {
  const ea = a.entry;
  const eb = b.entry;
  return (SUPPORT_RANK[ea.supportLevel ?? ''] ?? 2) - (SUPPORT_RANK[eb.supportLevel ?? ''] ?? 2)
    || (ea.type === eb.type ? 0 : ea.type === 'source' ? -1 : 1)
    || Number(eb.native !== undefined) - Number(ea.native !== undefined)
    || a.bare.length - b.bare.length
    || (a.tech < b.tech ? -1 : a.tech > b.tech ? 1 : 0);
}

function split(s: string): string[] {
  return s.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

function squash(s: string): string {
  return s.replace(/[^a-z0-9]+/g, '');
}
