import type { CatalogEntry, ConnectorEntry, ConnectorType, NativeConnector } from './entry.js';
import { isVisible } from './entry.js';
import { executorsOf, type ExecutorKind } from './executors.js';
import type { RegistrySource } from './registry-source.js';
import { buildSearchDoc, searchDocs, type SearchDoc, type SearchHit } from './search.js';

export interface CatalogFilters {
  type?: ConnectorType;
  /** certified | community | archived (the registry's `supportLevel`). */
  support?: string;
  /** python | java | manifest-only (the registry's `language`). */
  language?: string;
  /** true: only connectors with a native implementation; false: only those without. */
  native?: boolean;
  /** Only connectors that can run on this executor. */
  executor?: ExecutorKind;
  /** Include tombstoned and non-public entries. */
  all?: boolean;
}

export interface SearchOptions extends CatalogFilters {
  limit?: number;
}

/**
 * The indexed catalog: registry entries joined with our native overlay, looked up by definition id,
 * docker repository, technical name or display name (case-insensitive), searched and filtered.
 */
export class Registry {
  readonly source: RegistrySource;
  readonly #entries: ConnectorEntry[];
  readonly #docs: SearchDoc[];
  readonly #byKey = new Map<string, ConnectorEntry[]>();

  constructor(entries: readonly CatalogEntry[], options: { source: RegistrySource; natives?: readonly NativeConnector[] }) {
    this.source = options.source;
    this.#entries = joinNatives(entries, options.natives ?? []);
    this.#entries.sort(listOrder);
    for (const e of this.#entries) {
      const keys = new Set([e.definitionId, e.technicalName, e.name, e.hasImage ? e.dockerRepository : ''].map((k) => k.toLowerCase()));
      keys.delete('');
      for (const k of keys) {
        const list = this.#byKey.get(k);
        if (list) list.push(e);
        else this.#byKey.set(k, [e]);
      }
    }
    this.#docs = this.#entries.map(buildSearchDoc);
  }

  /** Every entry, hidden ones included. */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * One entry by definition id, docker repository (a `:tag` is ignored), technical name or display
   * name. A display name such as "Postgres" can name a source and a destination: the visible source
   * wins; `getAll` returns both.
   */
  get(key: string): ConnectorEntry | undefined {
    return this.getAll(key)[0];
  }

  getAll(key: string): ConnectorEntry[] {
    const k = key.trim().toLowerCase();
    const exact = this.#byKey.get(k) ?? this.#byKey.get(stripTag(k)) ?? [];
    return [...exact].sort((a, b) => Number(isVisible(b)) - Number(isVisible(a)) || listOrder(a, b));
  }

  list(filters: CatalogFilters = {}): ConnectorEntry[] {
    return this.#entries.filter((e) => passes(e, filters));
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const docs = hasFilters(options) ? this.#docs.filter((d) => passes(d.entry, options)) : this.#docs;
    return searchDocs(docs, query, options.limit);
  }

  /** Up to `n` technical names close to an unknown name, for "did you mean". */
  suggest(name: string, n = 3): string[] {
    return this.search(name, { limit: n }).map((h) => h.entry.technicalName);
  }
}

function joinNatives(entries: readonly CatalogEntry[], natives: readonly NativeConnector[]): ConnectorEntry[] {
  const out: ConnectorEntry[] = entries.map((e) => ({ ...e, hasImage: true }));
  const byId = new Map(out.map((e) => [e.definitionId, e]));
  const byName = new Map(out.map((e) => [e.technicalName, e]));
  for (const n of natives) {
    const target = byId.get(n.definitionId) ?? byName.get(n.name);
    if (target) {
      target.native = n;
      continue;
    }
    // A native connector the registry does not (or no longer) lists is still runnable by name.
    out.push({
      definitionId: n.definitionId, type: n.name.startsWith('destination-') ? 'destination' : 'source',
      name: n.name, technicalName: n.name, dockerRepository: '', dockerImageTag: '', tags: [], native: n, hasImage: false,
    });
  }
  return out;
}

function passes(e: ConnectorEntry, f: CatalogFilters): boolean {
  if (!f.all && !isVisible(e)) return false;
  if (f.type && e.type !== f.type) return false;
  if (f.support && (e.supportLevel ?? '').toLowerCase() !== f.support.toLowerCase()) return false;
  if (f.language && (e.language ?? '').toLowerCase() !== f.language.toLowerCase()) return false;
  if (f.native !== undefined && (e.native !== undefined) !== f.native) return false;
  if (f.executor && !executorsOf(e).includes(f.executor)) return false;
  return true;
}

function hasFilters(f: CatalogFilters): boolean {
  return !f.all || f.type !== undefined || f.support !== undefined || f.language !== undefined || f.native !== undefined
    || f.executor !== undefined;
}

/** Sources first, then by technical name: a stable order for `list` and for ambiguous names. */
function listOrder(a: ConnectorEntry, b: ConnectorEntry): number {
  if (a.type !== b.type) return a.type === 'source' ? -1 : 1;
  return a.technicalName < b.technicalName ? -1 : a.technicalName > b.technicalName ? 1 : 0;
}

function stripTag(key: string): string {
  const slash = key.lastIndexOf('/');
  const colon = key.lastIndexOf(':');
  return colon > slash && slash >= 0 ? key.slice(0, colon) : key;
}
