import { ConnectorChoiceError, SpecUnavailableError, type ConnectorSpecification } from '../../protocol/index.js';
import { parseDescription, type Description } from './description.js';
import { fillConfig, type FillResult } from './fill-config.js';
import { findSchedule, findStreams, type DraftStream } from './find-streams.js';
import { pickConnectors, type CatalogItem, type Mention, type Role } from './pick-connectors.js';
import type { SpecNode } from './spec-node.js';
import { TextView } from './text-view.js';

/** Where a spec came from: the native connector, the copy shipped with airdock, or the image. */
export type SpecOrigin = 'native' | 'bundled' | 'image';

/** Gets a connector's spec by technical name; undefined when none can be had. */
export type SpecProvider = (technicalName: string) => Promise<{ spec: ConnectorSpecification; origin: SpecOrigin } | undefined>;

/** One connector's drafted config. */
export interface ConnectorDraft extends FillResult {
  role: Role;
  technicalName: string;
  displayName: string;
  specOrigin: SpecOrigin;
  /** The connectionSpecification the config was drafted and validated against. */
  spec: SpecNode;
}

export interface TextDraft {
  /** The description with secrets masked: what may be shown or sent elsewhere. */
  masked: string;
  description: Description;
  source?: ConnectorDraft;
  destination?: ConnectorDraft;
  /** Only when both sides are named: the connection's streams. */
  streams: DraftStream[];
  schedule?: { words: string; cron: string };
  notes: string[];
}

export interface DraftOptions {
  catalog: readonly CatalogItem[];
  specFor: SpecProvider;
}

/**
 * Text → connector choice → config. Deterministic and offline given offline specs: the same words
 * always give the same draft. Refuses (ConnectorChoiceError) rather than guessing the connector.
 */
export async function draftFromText(text: string, options: DraftOptions): Promise<TextDraft> {
  const description = parseDescription(text);
  const pick = pickConnectors(description.tokens, options.catalog);
  switch (pick.kind) {
    case 'none':
      throw new ConnectorChoiceError(pick.vague ? 'The description does not say which system it is' : 'The description names no connector airdock knows', [],
        { context: pick.vague ? { word: pick.vague } : {} });
    case 'ambiguous':
      throw new ConnectorChoiceError('Several connectors fit the description', pick.candidates.map((c) => c.technicalName), { context: { words: pick.words, role: pick.role } });
    case 'unsupported':
      throw new ConnectorChoiceError(`That system has no ${pick.role} connector, only a ${pick.available}`, [], { context: { words: pick.words } });
    case 'too-many':
      throw new ConnectorChoiceError(`The description names two ${pick.role}s; a connection has one source and one destination`, pick.names, { context: { role: pick.role } });
    default:
  }
  let sides = (['source', 'destination'] as const).filter((r) => pick[r]).map((r) => ({ role: r, ...pick[r]! }));
  sides.sort((a, b) => a.mention.start - b.mention.start);
  // "S3 ... as CSV": a format word is an option of the named system, not a second connector.
  const strong = sides.find((s) => !s.mention.weak);
  if (strong && sides.length === 2) {
    const weak = sides.find((s) => s.mention.weak);
    const spec = weak ? await options.specFor(strong.item.technicalName) : undefined;
    if (weak && spec && optionWords(spec.spec.connectionSpecification as SpecNode).has(weak.mention.words.toLowerCase().replace(/\s+files?$/, ''))) {
      sides = [strong];
    }
  }
  const used = new Set<number>();
  for (const s of sides) for (let i = s.mention.start; i < s.mention.end; i++) used.add(i);
  const out: TextDraft = { masked: description.masked, description, streams: [], notes: [] };
  // Both specs at once: a native connector's spec is a process start each.
  await Promise.all(sides.map((s) => options.specFor(s.item.technicalName).catch(() => undefined)));
  for (let k = 0; k < sides.length; k++) {
    const s = sides[k]!;
    const from = k === 0 ? 0 : s.mention.start;
    const to = k + 1 < sides.length ? sides[k + 1]!.mention.start : description.tokens.length;
    const view = new TextView(description.tokens, from, to, used);
    out[s.role] = await draftOne(view, description, s.item, s.role, options.specFor);
  }
  if (out.source && out.destination) {
    const mentionTokens = new Set(description.tokens.filter((t) => isMentionToken(t.index, sides.map((s) => s.mention))).map((t) => t.index));
    out.streams = findStreams(description.tokens, mentionTokens);
    const schedule = findSchedule(description.tokens);
    if (schedule) out.schedule = schedule;
  }
  if (description.secrets.length > 0) {
    out.notes.push(`The description contained ${description.secrets.length === 1 ? 'a secret' : `${description.secrets.length} secrets`} (${[...new Set(description.secrets.map((s) => s.cue))].join(', ')}); airdock never copies secrets from text: set the listed variables instead.`);
  }
  return out;
}

async function draftOne(view: TextView, description: Description, item: CatalogItem, role: Role, specFor: SpecProvider): Promise<ConnectorDraft> {
  const got = await specFor(item.technicalName);
  if (!got) throw new SpecUnavailableError('No spec is available for that connector here', { context: { connector: item.technicalName } });
  const spec = got.spec.connectionSpecification as SpecNode;
  const filled = fillConfig({ view, description, spec, technicalName: item.technicalName });
  return { ...filled, role, technicalName: item.technicalName, displayName: item.name, specOrigin: got.origin, spec };
}

/** Every option value and option title of a spec, lower case: what format words can mean there. */
function optionWords(node: SpecNode, out = new Set<string>()): Set<string> {
  for (const v of [node.const, ...(node.enum ?? [])]) if (typeof v === 'string') out.add(v.toLowerCase());
  if (node.title) {
    out.add(node.title.toLowerCase());
    const head = node.title.split(':')[0]!.trim().toLowerCase();
    out.add(head);
  }
  for (const p of Object.values(node.properties ?? {})) optionWords(p, out);
  for (const b of node.oneOf ?? []) optionWords(b, out);
  if (node.items) optionWords(node.items, out);
  return out;
}

function isMentionToken(i: number, mentions: readonly Mention[]): boolean {
  return mentions.some((m) => i >= m.start && i < m.end);
}
