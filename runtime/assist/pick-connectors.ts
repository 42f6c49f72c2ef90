import type { Token } from './description.js';
import { COMMON_WORD_NAMES, SYSTEM_ALIASES, VAGUE_SYSTEM_WORDS } from './system-aliases.js';

export type Role = 'source' | 'destination';

/** What config drafting needs to know about a catalog entry. */
export interface CatalogItem {
  type: Role;
  name: string;
  technicalName: string;
  supportLevel?: string;
}

/** A place in the text that names a system, with every catalog entry the words can mean. */
export interface Mention {
  /** First and one-past-last token index. */
  start: number;
  end: number;
  words: string;
  /** Technical names per role. */
  byRole: Partial<Record<Role, string[]>>;
  role?: Role;
  weak?: boolean;
}

export type Pick =
  | { kind: 'picked'; source?: { item: CatalogItem; mention: Mention }; destination?: { item: CatalogItem; mention: Mention } }
  | { kind: 'ambiguous'; words: string; role: Role; candidates: CatalogItem[] }
  | { kind: 'unsupported'; words: string; role: Role; available: Role }
  | { kind: 'too-many'; role: Role; names: string[] }
  | { kind: 'none'; vague?: string };

const SOURCE_CUES = new Set(['from', 'source', 'read', 'reads', 'reading', 'extract', 'extracts', 'pull', 'pulls', 'ingest',
  'copy', 'copies', 'replicate', 'replicates', 'sync', 'syncs', 'move', 'moves', 'migrate', 'mirror', 'export', 'dump',
  'stream', 'back', 'consume', 'consumes', 'consuming', 'query', 'out']);
const DEST_CUES = new Set(['into', 'destination', 'sink', 'target', 'onto']);
const MOVE_VERBS = new Set(['copy', 'copies', 'send', 'sends', 'write', 'writes', 'load', 'loads', 'push', 'pushes', 'replicate',
  'replicates', 'sync', 'syncs', 'move', 'moves', 'export', 'exports', 'stream', 'streams', 'dump', 'dumps', 'pipe', 'land',
  'store', 'save', 'put', 'publish', 'produce', 'deliver', 'mirror', 'migrate', 'feed', 'ship', 'forward', 'archive', 'backup']);
const VALUE_LABELS = new Set(['db', 'database', 'user', 'username', 'schema', 'named', 'called', 'password', 'bucket', 'topic', 'dataset', 'login', 'role', 'warehouse']);
const DEST_AFTER = new Set(['destination', 'sink', 'target']);
const SOURCE_AFTER = new Set(['source']);

/**
 * Finds the systems a description names and decides which is the source and which the
 * destination: by the catalog's names and common aliases, by the words around each name (`from X`,
 * `into Y`, `X as the destination`), then by order (the first is read, the second written).
 * Asks instead of guessing when a name fits several connectors.
 */
export function pickConnectors(tokens: readonly Token[], catalog: readonly CatalogItem[]): Pick {
  const byTech = new Map(catalog.map((c) => [c.technicalName, c]));
  const phrases = phraseIndex(catalog, byTech);
  let mentions = findMentions(tokens, phrases);
  const partial = partialMention(tokens, catalog, mentions);
  if (partial) return partial;
  if (mentions.length === 0) {
    const vague = tokens.find((t) => VAGUE_SYSTEM_WORDS.has(t.lower));
    return vague ? { kind: 'none', vague: vague.lower } : { kind: 'none' };
  }
  assignRoles(tokens, mentions);
  const strongRoles = new Set(mentions.filter((m) => !m.weak).map((m) => m.role));
  mentions = mentions.filter((m) => !m.weak || !strongRoles.has(m.role));
  const chosen: Partial<Record<Role, { item: CatalogItem; mention: Mention }>> = {};
  for (const m of mentions) {
    const role = m.role!;
    const names = m.byRole[role];
    if (!names || names.length === 0) {
      const other: Role = role === 'source' ? 'destination' : 'source';
      return { kind: 'unsupported', words: m.words, role, available: other };
    }
    const items = names.map((n) => byTech.get(n)!);
    if (items.length > 1) return { kind: 'ambiguous', words: m.words, role, candidates: items };
    const prior = chosen[role];
    if (prior && prior.item.technicalName !== items[0]!.technicalName) {
      return { kind: 'too-many', role, names: [prior.item.technicalName, items[0]!.technicalName] };
    }
    if (!prior) chosen[role] = { item: items[0]!, mention: m };
  }
  return { kind: 'picked', ...chosen };
}

type PhraseIndex = Map<string, { byRole: Partial<Record<Role, string[]>>; alias: boolean; weak?: boolean }>;

function phraseIndex(catalog: readonly CatalogItem[], byTech: Map<string, CatalogItem>): PhraseIndex {
  const index: PhraseIndex = new Map();
  const add = (phrase: string, role: Role, tech: string, alias: boolean, weak = false) => {
    const key = phrase.toLowerCase().split(/[^a-z0-9/.]+/).filter(Boolean).join(' ');
    if (!key) return;
    let e = index.get(key);
    if (!e) index.set(key, (e = { byRole: {}, alias }));
    if (alias && !e.alias) {
      // An alias says exactly what it means: it replaces whatever the catalog's names matched.
      e.byRole = {};
      e.alias = true;
    } else if (!alias && e.alias) return;
    if (weak) e.weak = true;
    const list = (e.byRole[role] ??= []);
    if (!list.includes(tech)) list.push(tech);
  };
  for (const c of catalog) {
    const bare = c.technicalName.replace(/^(source|destination)-/, '');
    const name = c.name.replace(/\([^)]*\)/g, ' ').trim();
    add(name, c.type, c.technicalName, false);
    add(bare.replace(/-/g, ' '), c.type, c.technicalName, false);
    for (const inner of c.name.matchAll(/\(([^)]+)\)/g)) if (!inner[1]!.includes(',')) add(inner[1]!, c.type, c.technicalName, false);
  }
  for (const a of SYSTEM_ALIASES) {
    if (a.source && byTech.has(a.source)) add(a.phrase, 'source', a.source, true, a.weak);
    if (a.destination && byTech.has(a.destination)) add(a.phrase, 'destination', a.destination, true, a.weak);
  }
  return index;
}

function findMentions(tokens: readonly Token[], index: PhraseIndex): Mention[] {
  const out: Mention[] = [];
  for (let i = 0; i < tokens.length;) {
    let found: Mention | undefined;
    for (let len = 4; len >= 1 && !found; len--) {
      const slice = tokens.slice(i, i + len);
      if (slice.length < len || slice.some((t) => t.quoted || t.secret)) continue;
      const words = slice.map((t) => t.lower).join(' ');
      const e = index.get(words);
      if (!e) continue;
      if (len === 1 && !e.alias && !acceptSingleWord(slice[0]!)) continue;
      // "db postgres", "user postgres": a value that happens to be a system's name.
      if (VALUE_LABELS.has(tokens[i - 1]?.lower ?? '')) continue;
      found = { start: i, end: i + len, words: slice.map((t) => t.text).join(' '), byRole: e.byRole, ...(e.weak ? { weak: true } : {}) };
    }
    if (found) {
      out.push(found);
      i = found.end;
    } else i++;
  }
  return out;
}

/** A one-word catalog name counts when it cannot be an everyday word, or is written as a name. */
function acceptSingleWord(t: Token): boolean {
  if (!/^[a-z0-9][a-z0-9.]*$/i.test(t.text) || t.lower.length < 3) return false;
  if (!COMMON_WORD_NAMES.has(t.lower)) return true;
  return /^[A-Z]/.test(t.text) && !t.sentenceStart;
}

/** "Google" alone: the first word of several catalog names. Asking beats guessing. */
function partialMention(tokens: readonly Token[], catalog: readonly CatalogItem[], mentions: readonly Mention[]): Pick | undefined {
  for (const t of tokens) {
    if (t.quoted || t.secret || !/^[A-Z]/.test(t.text) || t.lower.length < 3 || COMMON_WORD_NAMES.has(t.lower)) continue;
    if (mentions.some((m) => t.index >= m.start && t.index < m.end) || (t.sentenceStart && mentions.length > 0)) continue;
    const candidates = catalog.filter((c) => c.name.toLowerCase().split(/\s+/)[0] === t.lower);
    if (candidates.length > 1) {
      const role: Role = candidates.some((c) => c.type === 'source') ? 'source' : 'destination';
      return { kind: 'ambiguous', words: t.text, role, candidates: candidates.filter((c) => c.type === role).slice(0, 12) };
    }
  }
  return undefined;
}

function assignRoles(tokens: readonly Token[], mentions: Mention[]): void {
  const cues = mentions.map((m, k) => cueFor(tokens, m, k === 0 ? 0 : mentions[k - 1]!.end, k > 0));
  for (let k = 0; k < mentions.length; k++) mentions[k]!.role = cues[k];
  const free = mentions.filter((m) => !m.role);
  if (mentions.length === 1) {
    const m = mentions[0]!;
    m.role ??= m.byRole.source?.length ? 'source' : 'destination';
    return;
  }
  const hasSource = mentions.some((m) => m.role === 'source');
  const hasDest = mentions.some((m) => m.role === 'destination');
  for (const m of free) {
    if (!hasSource && !mentions.some((x) => x.role === 'source')) m.role = 'source';
    else if (!hasDest && !mentions.some((x) => x.role === 'destination')) m.role = 'destination';
    else m.role = mentions.indexOf(m) === 0 ? 'source' : 'destination';
  }
  // Two mentions of the same system in one role ("Postgres ... the Postgres database") are one.
  for (const m of mentions) if (!m.byRole[m.role!]?.length) m.role = m.role === 'source' ? 'destination' : 'source';
}

/** Role from the words just before (and after) a mention, within its sentence. */
function cueFor(tokens: readonly Token[], m: Mention, floor: number, afterAnother: boolean): Role | undefined {
  const after = tokens[m.end]?.lower;
  const after2 = tokens[m.end + 1]?.lower;
  if (after && (DEST_AFTER.has(after) || (after2 && DEST_AFTER.has(after2) && ['as', 'database', 'cluster', 'instance'].includes(after)))) return 'destination';
  if (after && SOURCE_AFTER.has(after)) return 'source';
  if (['as', 'is'].includes(after ?? '') && after2 === 'the' && tokens[m.end + 2] && DEST_AFTER.has(tokens[m.end + 2]!.lower)) return 'destination';
  let moveVerbBefore = false;
  for (let i = m.start - 1; i >= Math.max(0, m.start - 40); i--) {
    if (MOVE_VERBS.has(tokens[i]!.lower)) moveVerbBefore = true;
    if (tokens[i]!.sentenceStart) break;
  }
  for (let i = m.start - 1; i >= Math.max(floor, m.start - 5); i--) {
    const w = tokens[i]!.lower;
    if (DEST_CUES.has(w)) return 'destination';
    if (w === 'to' || w === 'in' || w === 'on') {
      const prev = tokens[i - 1]?.lower ?? '';
      if (w === 'to' && ['connect', 'connects', 'connecting', 'access', 'up', 'due', 'compared'].includes(prev)) return undefined;
      if (w !== 'to' && !['land', 'lands', 'store', 'stores', 'save', 'saves', 'put', 'keep', 'write', 'writes'].includes(prev)) continue;
      if (afterAnother || moveVerbBefore) return 'destination';
      continue;
    }
    if (SOURCE_CUES.has(w)) return 'source';
    if (tokens[i]!.sentenceStart) break;
  }
  return undefined;
}
