import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConnectionFileError, ConfigFileError, MissingEnvVarError, isAirdockError, type AirbyteCatalog } from '../../../protocol/index.js';
import { expandEnv, type Env } from '../../config/load-document.js';
import type { Runtime } from '../../create-runtime.js';
import { imageName } from '../../connector-ref.js';
import { readAssistData } from '../assist-data.js';
import type { SpecProvider } from '../draft-from-text.js';
import type { SpecNode } from '../spec-node.js';
import { probePostgres } from './probe-postgres.js';
import type { ConnectionFacts, SideFacts, StreamSettingLike } from './suggestion.js';
import { compareVersions } from './version-rules.js';

export interface GatherOptions {
  specFor: SpecProvider;
  /** Newest tag of a docker repository, from the catalog. */
  latestTag?: (repository: string) => string | undefined;
  /** Run discover and look at the services; false: the file, the specs and the catalog only. */
  live: boolean;
  runtime?: Runtime;
  env: Env;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface GatheredFacts {
  facts: ConnectionFacts;
  text: string;
  /** What could or could not be looked at, for the user. */
  notes: string[];
}

type Breaking = Record<string, Record<string, { deadline?: string; migration?: string; message?: string }>>;
let breakingData: Breaking | undefined;

/**
 * Everything the rules look at for one connection file: the file as written (secrets unexpanded),
 * each side's spec, image version against the catalog, and, when `live`, discover's catalog (for
 * connectors that run here without pulling) and a look at PostgreSQL servers.
 */
export async function gatherFacts(path: string, o: GatherOptions): Promise<GatheredFacts> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigFileError('The connection file cannot be read', { cause: err, context: { path, reason: (err as NodeJS.ErrnoException).code } });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ConnectionFileError('The connection file is not valid YAML', { cause: err, context: { path } });
  }
  const doc = raw as Record<string, unknown> | null;
  const side = (k: 'source' | 'destination') => {
    const v = doc?.[k] as { connector?: unknown; config?: unknown } | undefined;
    if (!v || typeof v.connector !== 'string') throw new ConnectionFileError(`${k} must be a mapping with connector and config`, { context: { path, key: k } });
    return { ref: v.connector, config: (v.config && typeof v.config === 'object' ? v.config : {}) as Record<string, unknown> };
  };
  const notes: string[] = [];
  const facts: ConnectionFacts = {
    name: typeof doc?.name === 'string' ? doc.name : path,
    source: await sideFacts(side('source'), o, notes),
    destination: await sideFacts(side('destination'), o, notes),
    ...(Array.isArray(doc?.streams) ? { streams: (doc.streams as unknown[]).map((s) => (typeof s === 'string' ? { name: s } : s) as StreamSettingLike) } : {}),
  };
  if (o.live) await lookLive(facts, o, notes);
  else notes.push('not live: suggestions from the file, the specs and the catalog only');
  return { facts, text, notes };
}

async function sideFacts(s: { ref: string; config: Record<string, unknown> }, o: GatherOptions, notes: string[]): Promise<SideFacts> {
  const ref = s.ref.trim();
  const isImage = !ref.startsWith('native:') && !/^(\.{0,2}\/|file:)/.test(ref) && (ref.includes(':') || ref.includes('/'));
  const technicalName = ref.startsWith('native:') ? ref.slice(7) : isImage ? imageName(ref) : /^(source|destination)-[a-z0-9-]+$/.test(ref) ? ref : undefined;
  const out: SideFacts = { ref, config: s.config, ...(technicalName ? { technicalName } : {}) };
  if (technicalName) {
    try {
      const got = await o.specFor(technicalName);
      if (got) out.spec = got.spec.connectionSpecification as SpecNode;
      else notes.push(`${technicalName}: no spec available here; rules that need it are skipped`);
    } catch (err) {
      notes.push(`${technicalName}: its spec could not be read (${isAirdockError(err) ? err.code : 'error'}); rules that need it are skipped`);
    }
  }
  if (isImage) {
    const at = ref.lastIndexOf(':');
    const slash = ref.lastIndexOf('/');
    if (at > slash && !ref.includes('@')) {
      const repository = ref.slice(0, at);
      out.image = { repository, tag: ref.slice(at + 1) };
      const latest = o.latestTag?.(repository);
      if (latest) out.latestTag = latest;
      breakingData ??= readAssistData<Breaking>('breaking-changes.json');
      const b = breakingData[repository];
      if (b) out.breaking = Object.entries(b).map(([version, v]) => ({ version, ...v })).sort((x, y) => compareVersions(x.version, y.version));
    }
  }
  return out;
}

async function lookLive(facts: ConnectionFacts, o: GatherOptions, notes: string[]): Promise<void> {
  const expand = (side: SideFacts): Record<string, unknown> | undefined => {
    try {
      return expandEnv(side.config, o.env);
    } catch (err) {
      if (err instanceof MissingEnvVarError) notes.push(`${side.technicalName ?? side.ref}: not inspected live: ${String(err.context.variable)} is not set`);
      else throw err;
      return undefined;
    }
  };
  const src = facts.source;
  const srcConfig = expand(src);
  if (srcConfig && o.runtime) {
    try {
      // Never pull an image just to make suggestions: what runs here runs, the rest is skipped.
      const connector = await o.runtime.connector(src.ref, { pull: 'never', validate: false });
      facts.source.discovered = await connector.discover(srcConfig, { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: o.timeoutMs ?? 60_000 }) as AirbyteCatalog;
    } catch (err) {
      notes.push(`${src.technicalName ?? src.ref}: discover did not run here (${isAirdockError(err) ? err.code : 'error'}); stream rules use what the services tell`);
    }
  }
  for (const side of [facts.source, facts.destination]) {
    if (!/^(source|destination)-postgres$/.test(side.technicalName ?? '') || typeof side.config.host !== 'string') continue;
    const config = side === src ? srcConfig : expand(side);
    if (!config) continue;
    try {
      side.postgres = await probePostgres(config, { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: Math.min(o.timeoutMs ?? 10_000, 10_000) });
    } catch (err) {
      notes.push(`${side.technicalName}: the database did not answer (${(err as { code?: string }).code ?? 'error'}); suggestions from the file and the spec only`);
    }
  }
}

