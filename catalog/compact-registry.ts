import { RegistryInvalidError } from '../protocol/errors/index.js';
import type { CatalogEntry, ConnectorType } from './entry.js';
import { technicalNameOf } from './parse-registry.js';

/**
 * The compact registry format shared by the bundled seed and the disk cache: a header, then one
 * tuple per connector per line (columns named in the header). Tuples instead of objects keep the
 * seed under 200 KB, and one line per entry keeps a refreshed seed's diff readable.
 */
/** Version 2 added the `pypi` column and the manifest-only flag; an older cache is refetched. */
export const COMPACT_FORMAT = 'airdock-registry/2';

const COLUMNS = ['definitionId', 'type', 'name', 'dockerRepository', 'dockerImageTag', 'supportLevel', 'releaseStage',
  'language', 'license', 'documentationUrl', 'sourceType', 'tags', 'pypi', 'flags'] as const;
/** Bits of the `flags` column; an absent column means 0. */
const TOMBSTONE = 1;
const NOT_PUBLIC = 2;
const MANIFEST_ONLY = 4;

export interface CompactHeader {
  /** Newest per-connector publish time in the registry this was derived from (ISO, UTC). */
  dataAsOf?: string;
  /** sha256 of the registry document it was derived from, to trace a seed back to its input. */
  inputSha256?: string;
  /** Only in the cache: where and when it was fetched, and the validators to revalidate with. */
  cache?: { location: string; fetchedAt: string; etag?: string; lastModified?: string };
}

export interface CompactRegistry extends CompactHeader {
  entries: CatalogEntry[];
}

export function encodeCompact(reg: CompactRegistry): string {
  const sorted = [...reg.entries].sort((a, b) => cmp(a.type, b.type) || cmp(a.dockerRepository, b.dockerRepository)
    || cmp(a.definitionId, b.definitionId));
  const rows = sorted.map((e) => {
    const flags = (e.tombstone ? TOMBSTONE : 0) | (e.public === false ? NOT_PUBLIC : 0) | (e.manifestOnly ? MANIFEST_ONLY : 0);
    const row: unknown[] = [e.definitionId, e.type, e.name, e.dockerRepository, e.dockerImageTag, e.supportLevel ?? '',
      e.releaseStage ?? '', e.language ?? '', e.license ?? '', e.documentationUrl ?? '', e.sourceType ?? '', e.tags, e.pypiPackage ?? ''];
    if (flags !== 0) row.push(flags);
    return JSON.stringify(row);
  });
  const counts = {
    sources: sorted.filter((e) => e.type === 'source').length,
    destinations: sorted.filter((e) => e.type === 'destination').length,
  };
  const head: Record<string, unknown> = { format: COMPACT_FORMAT };
  if (reg.dataAsOf) head.dataAsOf = reg.dataAsOf;
  if (reg.inputSha256) head.inputSha256 = reg.inputSha256;
  if (reg.cache) head.cache = reg.cache;
  head.counts = counts;
  head.columns = COLUMNS;
  const headText = JSON.stringify(head);
  return `${headText.slice(0, -1)},"rows":[\n${rows.join(',\n')}\n]}\n`;
}

/** True when a parsed JSON document is in the compact format (so a user may point AIRDOCK_REGISTRY at a seed). */
export function isCompactDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === COMPACT_FORMAT;
}

export function decodeCompact(text: string, location: string): CompactRegistry {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalid(location, `not valid JSON (${(err as Error).message})`, err);
  }
  return decodeCompactDocument(doc, location);
}

export function decodeCompactDocument(doc: unknown, location: string): CompactRegistry {
  if (!isCompactDocument(doc)) throw invalid(location, `not in the ${COMPACT_FORMAT} format`);
  const d = doc as Record<string, unknown>;
  const cols = d.columns;
  if (!Array.isArray(cols) || COLUMNS.some((c, i) => cols[i] !== c)) throw invalid(location, 'unexpected `columns`');
  if (!Array.isArray(d.rows)) throw invalid(location, '`rows` is missing');
  const entries = d.rows.map((row: unknown, i: number) => fromRow(row, i, location));
  const out: CompactRegistry = { entries };
  if (typeof d.dataAsOf === 'string') out.dataAsOf = d.dataAsOf;
  if (typeof d.inputSha256 === 'string') out.inputSha256 = d.inputSha256;
  const c = d.cache as CompactHeader['cache'] | undefined;
  if (c && typeof c.location === 'string' && typeof c.fetchedAt === 'string') out.cache = c;
  return out;
}

function fromRow(row: unknown, i: number, location: string): CatalogEntry {
  if (!Array.isArray(row) || row.length < 13) throw invalid(location, `rows[${i}] is not a ${COLUMNS.length - 1}+ column tuple`);
  const [id, type, name, repo, tag, support, stage, language, license, docs, sourceType, tags, pypi, flags] = row as unknown[];
  if (typeof id !== 'string' || !id || (type !== 'source' && type !== 'destination') || typeof name !== 'string'
    || typeof repo !== 'string' || !repo || typeof tag !== 'string' || !tag || !Array.isArray(tags)) {
    throw invalid(location, `rows[${i}] has a missing or mistyped id, type, name, repository or tag`);
  }
  const e: CatalogEntry = {
    definitionId: id, type: type as ConnectorType, name, technicalName: technicalNameOf(repo),
    dockerRepository: repo, dockerImageTag: tag, tags: tags.filter((t): t is string => typeof t === 'string'),
  };
  const set = (k: keyof CatalogEntry, v: unknown) => {
    if (typeof v === 'string' && v !== '') (e as unknown as Record<string, unknown>)[k] = v;
  };
  set('supportLevel', support); set('releaseStage', stage); set('language', language); set('license', license);
  set('documentationUrl', docs); set('sourceType', sourceType); set('pypiPackage', pypi);
  const f = typeof flags === 'number' ? flags : 0;
  if (f & TOMBSTONE) e.tombstone = true;
  if (f & NOT_PUBLIC) e.public = false;
  if (f & MANIFEST_ONLY) e.manifestOnly = true;
  return e;
}

/** Locale-independent, so the seed is byte-identical wherever it is generated. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function invalid(location: string, problem: string, cause?: unknown): RegistryInvalidError {
  return new RegistryInvalidError('The connector registry is malformed', { context: { location, problem }, cause });
}
