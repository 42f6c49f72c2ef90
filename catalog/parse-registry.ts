import { RegistryInvalidError } from '../protocol/errors/index.js';
import type { CatalogEntry, ConnectorType } from './entry.js';

/** What a registry document yields: compact entries plus the newest data timestamp in it. */
export interface ParsedRegistry {
  entries: CatalogEntry[];
  /** Newest per-connector publish time in the document (ISO, UTC), if any entry carries one. */
  dataAsOf?: string;
}

const REQUIRED = ['name', 'dockerRepository', 'dockerImageTag'] as const;

/**
 * Reads an official registry document (ConnectorRegistryV0: `{sources, destinations}`) into compact
 * entries. Strict on the fields we key and launch on, because a half-understood registry would
 * resolve names to the wrong image; lenient on everything else (the schema allows extra properties).
 * `location` only names the document in errors.
 */
export function parseRegistry(text: string, location: string): ParsedRegistry {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalid(location, `not valid JSON (${(err as Error).message})`, err);
  }
  return parseRegistryDocument(doc, location);
}

export function parseRegistryDocument(doc: unknown, location: string): ParsedRegistry {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw invalid(location, 'the document is not a JSON object with `sources` and `destinations` arrays');
  }
  const root = doc as Record<string, unknown>;
  const entries: CatalogEntry[] = [];
  let newest = Number.NEGATIVE_INFINITY;
  for (const [key, type, idKey] of [
    ['sources', 'source', 'sourceDefinitionId'],
    ['destinations', 'destination', 'destinationDefinitionId'],
  ] as const) {
    const list = root[key];
    if (!Array.isArray(list)) throw invalid(location, `\`${key}\` is missing or not an array`);
    list.forEach((raw, i) => {
      const entry = toEntry(raw, type, idKey, `${key}[${i}]`, location);
      entries.push(entry);
      const t = publishedAt(raw as Record<string, unknown>);
      if (t > newest) newest = t;
    });
  }
  return Number.isFinite(newest) ? { entries, dataAsOf: new Date(newest).toISOString() } : { entries };
}

function toEntry(raw: unknown, type: ConnectorType, idKey: string, where: string, location: string): CatalogEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(location, `${where} is not an object`);
  const r = raw as Record<string, unknown>;
  const id = r[idKey];
  if (typeof id !== 'string' || id.trim() === '') throw invalid(location, `${where}.${idKey} is missing or not a string`);
  for (const f of REQUIRED) {
    if (typeof r[f] !== 'string' || (r[f] as string).trim() === '') throw invalid(location, `${where}.${f} is missing or not a string`);
  }
  const repo = r.dockerRepository as string;
  const entry: CatalogEntry = {
    definitionId: id.toLowerCase(),
    type,
    name: r.name as string,
    technicalName: technicalNameOf(repo),
    dockerRepository: repo,
    dockerImageTag: r.dockerImageTag as string,
    tags: Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === 'string') : [],
  };
  const str = (k: string) => (typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined);
  const optional: Array<[keyof CatalogEntry, string | undefined]> = [
    // The official pipeline defaults a missing level to community; do the same for custom registries.
    ['supportLevel', str('supportLevel') ?? 'community'],
    ['releaseStage', str('releaseStage')],
    ['language', str('language') ?? languageFromTags(entry.tags)],
    ['license', str('license')],
    ['documentationUrl', str('documentationUrl')],
    ['sourceType', str('sourceType')],
  ];
  for (const [k, v] of optional) if (v !== undefined) (entry as unknown as Record<string, unknown>)[k] = v;
  const pypi = pypiPackageOf(r.remoteRegistries);
  if (pypi !== undefined) entry.pypiPackage = pypi;
  if (entry.language === 'manifest-only' || entry.tags.includes('language:manifest-only')) entry.manifestOnly = true;
  if (r.tombstone === true) entry.tombstone = true;
  if (r.public === false) entry.public = false;
  return entry;
}

/** `airbyte/source-postgres` → `source-postgres`; also right for third-party hosts and owners. */
export function technicalNameOf(dockerRepository: string): string {
  const last = dockerRepository.split('/').pop() ?? dockerRepository;
  return last.toLowerCase();
}

/** `remoteRegistries.pypi.packageName`, only when the registry says the package is published (`enabled`). */
function pypiPackageOf(remote: unknown): string | undefined {
  const pypi = (remote as { pypi?: { enabled?: unknown; packageName?: unknown } } | undefined)?.pypi;
  return pypi?.enabled === true && typeof pypi.packageName === 'string' && pypi.packageName.trim() !== '' ? pypi.packageName.trim() : undefined;
}

function languageFromTags(tags: string[]): string | undefined {
  const t = tags.find((x) => x.startsWith('language:'));
  const v = t?.slice('language:'.length);
  return v && v !== 'unknown' ? v : undefined;
}

function publishedAt(r: Record<string, unknown>): number {
  const gen = r.generated as { git?: { commit_timestamp?: unknown }; registry_entry_generated_at?: unknown } | undefined;
  let best = Number.NEGATIVE_INFINITY;
  for (const v of [gen?.git?.commit_timestamp, gen?.registry_entry_generated_at]) {
    if (typeof v !== 'string') continue;
    const t = Date.parse(v);
    if (Number.isFinite(t) && t > best) best = t;
  }
  return best;
}

function invalid(location: string, problem: string, cause?: unknown): RegistryInvalidError {
  return new RegistryInvalidError('The connector registry is malformed', { context: { location, problem }, cause });
}
