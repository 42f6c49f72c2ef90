import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { CatalogFilters, ConnectorEntry, LoadRegistryOptions, Registry } from '../../catalog/index.js';
// A few lines with no imports of their own: the catalog itself still loads only inside the actions.
import { EXECUTOR_KINDS, type ExecutorKind } from '../../catalog/executors.js';

/**
 * `airdock catalog search|list|show|refresh`. The catalog module is imported inside each action so
 * that the other commands never load it; it is itself small, and a warm or offline run reads only
 * the compact cache or the bundled seed (see docs/catalog.md).
 */
interface CommonOpts { json?: boolean; registry?: string; offline?: boolean }
interface FilterOpts extends CommonOpts {
  type?: 'source' | 'destination'; support?: string; language?: string; native?: boolean; executor?: ExecutorKind; all?: boolean;
}
const EXECUTORS = [...EXECUTOR_KINDS];

/** The catalog and its output formats, loaded inside each action so other commands never pay for them. */
const catalogModule = async () => ({
  ...(await import('../../catalog/index.js')),
  ...(await import('../format/entry-json.js')), ...(await import('../format/format-table.js')),
  ...(await import('../format/format-details.js')), ...(await import('../format/describe-source.js')),
  ...(await import('../format/runs-as.js')),
});

export function register(program: Command): void {
  const catalog = program.command('catalog').description('Search, list and inspect the Airbyte connector catalog (plus native connectors)');

  withFilters(withCommon(catalog.command('search')))
    .description('Find connectors by name, with typos forgiven; best match first')
    .argument('<words...>', 'what the connector connects to, e.g. postgres or "google sheets"')
    .option('--limit <n>', 'show at most n results', positiveInt, 20)
    .action(async (words: string[], opts: FilterOpts & { limit: number }) => {
      const cat = await catalogModule();
      const registry = await load(opts);
      const query = words.join(' ');
      const hits = registry.search(query, filtersOf(opts));
      const shown = hits.slice(0, opts.limit);
      if (opts.json) {
        return out({ query, filters: filtersOf(opts), source: registry.source, total: hits.length,
          results: shown.map((h) => ({ ...cat.entryJson(h.entry), match: h.match })) });
      }
      if (shown.length === 0) {
        process.stdout.write(`No connector matches "${query}". Try fewer words, or \`airdock catalog list\`.\n`);
      } else {
        process.stdout.write(cat.formatTable(shown.map((h) => h.entry)));
        const more = hits.length > shown.length ? ` (showing ${shown.length}; use --limit to see more)` : '';
        process.stdout.write(`\n${hits.length} match${hits.length === 1 ? '' : 'es'}${more}.\n${cat.describeSource(registry.source)}\n`);
      }
    });

  withFilters(withCommon(catalog.command('list')))
    .description('List connectors, sources first, then destinations')
    .action(async (opts: FilterOpts) => {
      const cat = await catalogModule();
      const registry = await load(opts);
      const entries = registry.list(filtersOf(opts));
      if (opts.json) return out({ filters: filtersOf(opts), source: registry.source, count: entries.length, entries: entries.map(cat.entryJson) });
      process.stdout.write(cat.formatTable(entries));
      process.stdout.write(`\n${countLine(entries)}.\n${cat.describeSource(registry.source)}\n`);
    });

  withCommon(catalog.command('show'))
    .description('Show one connector: its executors and which one a bare name uses, image, native implementation, support, docs')
    .argument('<name>', 'technical name (source-postgres), display name, docker repository or definition id')
    .addOption(new Option('--prefer <kind>', 'what a bare name runs as').choices(['native', 'image']).default('native'))
    .addOption(new Option('--executor <kind>', 'show what the name runs as on this executor').choices(EXECUTORS))
    .action(async (name: string, opts: CommonOpts & { prefer: 'native' | 'image'; executor?: ExecutorKind }) => {
      const cat = await catalogModule();
      const registry = await load(opts);
      const entries = registry.getAll(name);
      if (entries.length === 0) {
        const { ConnectorNotFoundError } = await import('../../protocol/errors/index.js');
        throw new ConnectorNotFoundError(name, registry.suggest(name));
      }
      const runsAs = (e: ConnectorEntry) => cat.runsAsJson(cat.resolveEntry(e, { prefer: opts.prefer, ...(opts.executor ? { executor: opts.executor } : {}) }));
      if (opts.json) return out({ source: registry.source, entries: entries.map((e) => ({ ...cat.entryJson(e), runsAs: runsAs(e) })) });
      process.stdout.write(entries.map((e) => cat.formatDetails(e, cat.describeRunsAs(runsAs(e)))).join('\n'));
    });

  withCommon(catalog.command('refresh'))
    .description('Fetch the registry now and update the cache (fails instead of falling back)')
    .action(async (opts: CommonOpts) => {
      const cat = await catalogModule();
      const registry = await load(opts, { refresh: true });
      if (opts.json) return out({ source: registry.source, count: registry.list({ all: true }).length });
      const what = registry.source.revalidated ? 'Registry unchanged (confirmed by the server)' : `Loaded ${countLine(registry.list({ all: true }))}`;
      process.stdout.write(`${what}.\n${cat.describeSource(registry.source)}\n`);
    });
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('--json', 'machine-readable output (shape in docs/catalog.md)')
    .option('--registry <url|file>', 'registry to read instead of AIRDOCK_REGISTRY or the official one')
    .option('--offline', 'never use the network (same as AIRDOCK_OFFLINE=1)');
}

function withFilters(cmd: Command): Command {
  return cmd
    .addOption(new Option('--type <type>', 'only sources or only destinations').choices(['source', 'destination']))
    .option('--support <level>', 'support level: certified, community, archived')
    .option('--language <lang>', 'implementation language: python, java, manifest-only')
    .option('--native', 'only connectors with a native TypeScript implementation')
    .addOption(new Option('--executor <kind>', 'only connectors that can run on this executor').choices(EXECUTORS))
    .option('--all', 'include tombstoned and non-public connectors');
}

function filtersOf(o: FilterOpts): CatalogFilters {
  const f: CatalogFilters = {};
  if (o.type) f.type = o.type;
  if (o.support) f.support = o.support;
  if (o.language) f.language = o.language;
  if (o.native) f.native = true;
  if (o.executor) f.executor = o.executor;
  if (o.all) f.all = true;
  return f;
}

async function load(o: CommonOpts, extra: Partial<LoadRegistryOptions> = {}): Promise<Registry> {
  const { loadRegistry } = await catalogModule();
  // The environment is read in one place (runtime/options.ts); the catalog gets explicit settings.
  const { loadOptions } = await import('../../runtime/options.js');
  const env = loadOptions();
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    return await loadRegistry({ registry: o.registry ?? env.registry, offline: o.offline === true || env.offline, home: env.home, signal: ac.signal, ...extra });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function countLine(entries: readonly ConnectorEntry[]): string {
  const s = entries.filter((e) => e.type === 'source').length;
  return `${entries.length} connectors (${s} sources, ${entries.length - s} destinations)`;
}

function out(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more');
  return n;
}
