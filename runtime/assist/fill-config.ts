import { validateConfig, type ValidationIssue } from '../../protocol/index.js';
import type { Description } from './description.js';
import { chooseBranch, normalize, sslBranch, sslIntent } from './choose-branch.js';
import {
  fieldInfo, findBootstrap, findBucket, findBucketPath, findCount, findDatabase, findDate, findDuration, findEndpoint, findFilePath,
  findHost, findPerformance, findPort, findRegion, findRepositories, findSchemas, findTopic, findUrl, findUsername, isIdentifierValue,
  isUrlToken, labelled, type FieldInfo, type Found,
} from './field-finders.js';
import { deleteAt } from './config-path.js';
import { placeholderName } from './placeholder-name.js';
import { discriminatorOf, fixedValue, formatPath, orderedProperties, plainText, typesOf, type SpecNode } from './spec-node.js';
import { parseNumber, STOP_WORDS, type TextView } from './text-view.js';

/** Where a value of a drafted config came from. */
export type Origin = 'text' | 'default' | 'example' | 'placeholder' | 'llm' | 'answer';

export interface FieldOrigin {
  path: string;
  origin: Origin;
}

/** A required field the text did not give: what to ask the user. */
export interface Question {
  path: string;
  title: string;
  description: string;
  type: string;
  options?: string[];
  examples?: unknown[];
  /** Why it is asked: missing, or the text's value did not fit the spec. */
  reason: 'missing' | 'invalid';
}

/** A `${VAR}` the config needs before it can run. */
export interface EnvVar {
  variable: string;
  path: string;
  /** The description contained this secret; it was left out. */
  fromText: boolean;
}

export interface FillResult {
  config: Record<string, unknown>;
  origins: FieldOrigin[];
  questions: Question[];
  env: EnvVar[];
  notes: string[];
  issues: ValidationIssue[];
}

export interface FillInput {
  view: TextView;
  description: Description;
  /** The connector's `connectionSpecification`. */
  spec: SpecNode;
  technicalName: string;
}

/**
 * Fills a connector config from the words of a description, field by field from the spec: typed
 * finders for the fields every connector has (host, port, database, user, bucket, region, dates,
 * paths, topics...), oneOf options chosen by their values and titles, enums by their values,
 * booleans and numbers by their labels, and the spec's pool/parallelism options from performance
 * words. Required fields take the spec's default; secrets become `${VAR}` placeholders; what is
 * still missing becomes a question. The result is validated against the spec.
 */
export function fillConfig(input: FillInput): FillResult {
  const ctx: Ctx = {
    ...input,
    extras: extraWords(input.view),
    origins: [],
    questions: [],
    env: [],
    notes: [],
  };
  ctx.ssl = sslIntent(input.view, ctx.extras);
  const config: Record<string, unknown> = {};
  fillObject(ctx, input.spec, [], config, input.spec.required ?? []);
  let issues = validateConfig(config, input.spec);
  // A value from the text that the spec rejects is dropped and asked for, never written as is.
  for (let round = 0; round < 3 && issues.some((i) => i.message !== 'is required'); round++) {
    for (const issue of issues) {
      if (issue.message === 'is required') continue;
      const path = pointerPath(issue.path);
      const o = ctx.origins.find((x) => x.path === formatPath(path));
      if (!o || path.length === 0) continue;
      deleteAt(config, path);
      ctx.origins = ctx.origins.filter((x) => x !== o);
      ctx.questions.push({ path: o.path, title: o.path, description: `The description's value does not fit: ${issue.message}`, type: 'string', reason: 'invalid' });
    }
    issues = validateConfig(config, input.spec);
  }
  for (const issue of issues) {
    if (issue.message !== 'is required') continue;
    const path = formatPath(pointerPath(issue.path));
    if (!ctx.questions.some((q) => q.path === path)) ctx.questions.push({ path, title: path, description: '', type: 'string', reason: 'missing' });
  }
  return { config, origins: ctx.origins, questions: ctx.questions, env: ctx.env, notes: ctx.notes, issues };
}

interface Ctx extends FillInput {
  extras: Set<string>;
  ssl?: ReturnType<typeof sslIntent>;
  origins: FieldOrigin[];
  questions: Question[];
  env: EnvVar[];
  notes: string[];
}

/** Words the text implies without writing them: URL schemes, file extensions, `sslmode=` params. */
function extraWords(view: TextView): Set<string> {
  const out = new Set<string>();
  for (const t of view.tokens) {
    if (t.secret) continue;
    if (isUrlToken(t)) {
      out.add(t.text.slice(0, t.text.indexOf(':')).toLowerCase());
      for (const m of t.text.matchAll(/[?&](sslmode|ssl)=([a-z-]+)/gi)) out.add(`sslmode=${m[2]!.toLowerCase()}`);
    }
    const ext = /\.([a-z0-9]{2,8})(\.gz)?$/i.exec(t.text.split('?')[0]!);
    if (ext && (t.text.includes('/') || isUrlToken(t))) out.add(ext[1]!.toLowerCase());
    if (/\.gz$/i.test(t.text)) out.add('gzip');
  }
  return out;
}

/** A nested object: kept when required or when the text named it and filled some of its fields. */
function fillNestedObject(ctx: Ctx, key: string, prop: SpecNode, path: (string | number)[], out: Record<string, unknown>, isRequired: boolean): void {
  const sub: Record<string, unknown> = {};
  // An optional object the text does not fill is left out, so what its own required fields lack is
  // no question for the user (a read replica nobody mentioned must not ask for its host).
  const asked = ctx.questions.length;
  fillObject(ctx, prop, path, sub, prop.required ?? []);
  const named = fieldInfo(key, prop).labels.some((l) => ctx.view.has(l));
  if (Object.keys(sub).length > 0 && (isRequired || (named && ctx.origins.some((o) => o.path.startsWith(`${formatPath(path)}.`) && o.origin === 'text')))) {
    out[key] = sub;
    return;
  }
  ctx.origins = ctx.origins.filter((o) => !o.path.startsWith(`${formatPath(path)}.`));
  if (isRequired) ask(ctx, path, prop);
  else ctx.questions.length = asked;
}

function fillObject(ctx: Ctx, node: SpecNode, prefix: (string | number)[], out: Record<string, unknown>, required: readonly string[]): void {
  const secrets: Array<[string, SpecNode]> = [];
  for (const [key, prop] of orderedProperties(node)) {
    if (prop.airbyte_hidden || /^deprecated/i.test(plainText(prop.description)) || key in out) continue;
    const path = [...prefix, key];
    const isRequired = required.includes(key);
    if (prop.airbyte_secret) { secrets.push([key, prop]); continue; }
    if (fixedValue(prop) !== undefined && prefix.length > 0) continue;
    if (Array.isArray(prop.oneOf) && prop.oneOf.length > 0) {
      fillOneOf(ctx, key, prop, path, out, isRequired);
      continue;
    }
    if (typesOf(prop).includes('object') && prop.properties) {
      fillNestedObject(ctx, key, prop, path, out, isRequired);
      continue;
    }
    const info = fieldInfo(key, prop, Object.keys(node.properties ?? {}));
    const found = findLeaf(ctx, info);
    const value = found === undefined ? undefined : coerce(found.value, prop);
    if (found && value !== undefined) {
      out[key] = value;
      for (const t of found.tokens) ctx.view.mark(t);
      ctx.origins.push({ path: formatPath(path), origin: 'text' });
      continue;
    }
    if (!isRequired) continue;
    if (prop.default !== undefined) {
      out[key] = prop.default;
      ctx.origins.push({ path: formatPath(path), origin: 'default' });
      continue;
    }
    const example = numericExample(prop);
    if (example !== undefined) {
      out[key] = example;
      ctx.origins.push({ path: formatPath(path), origin: 'example' });
      continue;
    }
    ask(ctx, path, prop);
  }
  for (const [key, prop] of secrets) {
    const path = [...prefix, key];
    if (!wantsSecret(ctx, key, prop, required.includes(key), out)) continue;
    const info = fieldInfo(key, prop);
    const ref = ctx.description.secretRefs.find((r) => ctx.view.token(r.index) !== undefined && cueMatches(r.cue, info));
    const variable = ref?.envVar ?? placeholderName(ctx.technicalName, key);
    out[key] = `\${${variable}}`;
    ctx.origins.push({ path: formatPath(path), origin: 'placeholder' });
    const fromText = ctx.description.secrets.some((s) => cueMatches(s.cue, info) && ctx.view.token(s.index) !== undefined);
    ctx.env.push({ variable, path: formatPath(path), fromText });
  }
}

function fillOneOf(ctx: Ctx, key: string, prop: SpecNode, path: (string | number)[], out: Record<string, unknown>, isRequired: boolean): void {
  const branches = prop.oneOf!;
  const disc = discriminatorOf(branches);
  if (!disc) return;
  const info = fieldInfo(key, prop);
  let index = -1;
  let origin: Origin = 'text';
  if (info.kind === 'ssl' || /ssl|tls|encryption/i.test(`${key} ${prop.title ?? ''}`)) {
    if (ctx.ssl) index = sslBranch(branches, ctx.ssl);
  } else {
    index = chooseBranch(ctx.view, key, prop, ctx.extras);
  }
  if (index < 0 && isRequired) {
    const def = prop.default;
    const byDefault = typeof def === 'string' ? branches.findIndex((b) => fixedValue(b.properties?.[disc])?.value === def) : -1;
    const only = branches.length === 1 ? 0 : -1;
    index = byDefault >= 0 ? byDefault : only;
    origin = 'default';
    if (index < 0) {
      ask(ctx, path, prop);
      return;
    }
  }
  if (index < 0) return;
  const branch = branches[index]!;
  const sub: Record<string, unknown> = { [disc]: fixedValue(branch.properties![disc])!.value };
  ctx.origins.push({ path: formatPath([...path, disc]), origin });
  fillObject(ctx, branch, path, sub, branch.required ?? []);
  out[key] = sub;
}

function ask(ctx: Ctx, path: (string | number)[], prop: SpecNode): void {
  const p = formatPath(path);
  if (ctx.questions.some((q) => q.path === p)) return;
  const options = prop.oneOf
    ? prop.oneOf.map((b) => b.title ?? String(fixedValue(b.properties?.[discriminatorOf(prop.oneOf!) ?? ''])?.value ?? '?'))
    : Array.isArray(prop.enum) ? prop.enum.map(String) : undefined;
  ctx.questions.push({
    path: p, title: prop.title ?? String(path[path.length - 1]), description: plainText(prop.description, true),
    type: typesOf(prop)[0] ?? (prop.oneOf ? 'object' : 'string'),
    ...(options ? { options } : {}), ...(Array.isArray(prop.examples) ? { examples: prop.examples.slice(0, 3) } : {}), reason: 'missing',
  });
}

function findLeaf(ctx: Ctx, f: FieldInfo): Found | undefined {
  const { view } = ctx;
  switch (f.kind) {
    case 'host': return findHost(view, f);
    case 'port': return findPort(view, f);
    case 'database': return findDatabase(view, f);
    case 'username': return findUsername(view, f);
    case 'schemas': return findSchemas(view, f);
    case 'bucket': return findBucket(view, f);
    case 'bucket_path': return findBucketPath(view, f);
    case 'region': return Array.isArray(f.node.enum) ? findEnum(ctx, f) ?? findRegion(view) : findRegion(view);
    case 'endpoint': return findEndpoint(view, f);
    case 'url': return findUrl(view, f, /^(https?|mongodb(\+srv)?|s3|gs|sftp|ftp)$/);
    case 'topic': return findTopic(view, f);
    case 'bootstrap': return findBootstrap(view, f);
    case 'date': return findDate(view, f);
    case 'file_path': return findFilePath(view);
    case 'repositories': return findRepositories(view);
    case 'count': return findCount(view, f) ?? findNumber(ctx, f);
    case 'pool':
    case 'parallel': return findPerformance(view, f);
    case 'duration': return findDuration(view, f);
    case 'ssl':
      if (typesOf(f.node).includes('boolean') && ctx.ssl) return { value: ctx.ssl !== 'off', tokens: [] };
      return undefined;
    default:
  }
  if (Array.isArray(f.node.enum)) return findEnum(ctx, f);
  const types = typesOf(f.node);
  if (types.includes('boolean')) return findBoolean(ctx, f);
  if (types.includes('integer') || types.includes('number')) return findNumber(ctx, f);
  if (types.includes('string')) return findString(ctx, f);
  return undefined;
}

const ENUM_SYNONYMS: Record<string, string[]> = {
  none: ['no compression', 'uncompressed', 'without compression'],
  'no compression': ['no compression', 'uncompressed', 'without compression'],
  uncompressed: ['no compression', 'uncompressed', 'without compression'],
  zstd: ['zstd', 'zstandard'],
  gzip: ['gzip', 'gzipped'],
  all: ['acks all', 'all replicas', 'all in-sync replicas'],
  http: ['plain http', 'http only', 'over http', 'without tls', 'no tls', 'unencrypted http'],
  earliest: ['earliest', 'from the beginning', 'oldest'],
  latest: ['latest', 'only new messages', 'new messages only'],
  'soft delete': ['soft delete', 'soft-delete', 'soft deletes'],
  'hard delete': ['hard delete', 'hard-delete', 'hard deletes'],
};
const WEAK_ENUM = new Set(['none', 'all', 'default', 'latest', 'true', 'false', 'yes', 'no', 'us', 'eu', 'one', '0', '1',
  'http', 'plain', 'auto', 'local', 'fast', 'none', 'infer', 'ignore', 'error', 'standard']);

function findEnum(ctx: Ctx, f: FieldInfo): Found | undefined {
  const values = (f.node.enum ?? []).filter((v) => v !== '' && v !== null);
  if (values.includes('https') && ctx.ssl) return { value: ctx.ssl === 'off' ? 'http' : 'https', tokens: [] };
  const named = f.labels.some((l) => ctx.view.has(l) || (!GENERIC_LABELS.has(l[l.length - 1]!) && ctx.view.has([l[l.length - 1]!])));
  let best: { value: unknown; len: number } | undefined;
  for (const v of values) {
    const norm = normalize(String(v));
    const raw = String(v).toLowerCase();
    const phrases = [norm, ...(ENUM_SYNONYMS[norm] ?? []), ...(raw !== norm && !raw.includes(' ') ? [raw] : [])];
    for (const p of phrases) {
      const words = p === raw ? [raw] : p.split(' ');
      const hit = ctx.view.find(words).some((at) => !ctx.view.negated(at)) || (words.length === 1 && ctx.extras.has(p));
      if (!hit) continue;
      if ((WEAK_ENUM.has(norm) || norm.length < 3) && p === norm && !named) continue;
      if (!best || words.length > best.len) best = { value: v, len: words.length };
    }
  }
  return best ? { value: best.value, tokens: [] } : undefined;
}

function findBoolean(ctx: Ctx, f: FieldInfo): Found | undefined {
  const phrases = f.labels.flatMap((l) => {
    const out = [l];
    if (['enable', 'use', 'allow', 'is'].includes(l[0]!) && l.length > 1) out.push(l.slice(1));
    return out;
  }).filter((l) => l.length > 1 || (l[0]!.length >= 6 && !STOP_WORDS.has(l[0]!)));
  for (const p of phrases) {
    const at = ctx.view.find(p);
    if (at.length > 0) return { value: !ctx.view.negated(at[0]!), tokens: [] };
  }
  return undefined;
}

function findNumber(ctx: Ctx, f: FieldInfo): Found | undefined {
  const { view } = ctx;
  const labels = f.labels.filter((l) => l.length > 1 || !STOP_WORDS.has(l[0]!));
  for (const label of labels) {
    for (const at of view.find(label)) {
      for (const j of [at + label.length, at + label.length + 1, at + label.length + 2, at - 1]) {
        const t = view.token(j);
        if (!t || !view.isFree(j)) continue;
        const n = parseNumber(t.text, view.token(j + 1)?.lower);
        if (n !== undefined) return { value: n, tokens: [j] };
        if (j >= at + label.length && !['of', 'to', '=', ':', 'is', 'at', 'a'].includes(t.lower)) break;
      }
    }
  }
  return undefined;
}

/** Names people put before the label too: "the COMPUTE_WH warehouse", "our raw dataset". */
const NAME_FIRST = new Set(['warehouse', 'dataset', 'schema', 'database', 'bucket', 'topic', 'project', 'slot', 'publication', 'group', 'role', 'index', 'collection', 'namespace']);
const GENERIC_LABELS = new Set(['name', 'type', 'mode', 'method', 'format', 'path', 'url', 'key', 'value', 'id', 'data', 'user', 'host', 'port',
  'test', 'client', 'options', 'pattern', 'schema', 'raw', 'table', 'start', 'default', 'custom', 'protocol', 'file', 'stream']);

function findString(ctx: Ctx, f: FieldInfo): Found | undefined {
  const { view } = ctx;
  if (/arn$/.test(f.key)) {
    const t = view.tokens.find((x) => view.isFree(x.index) && /^arn:aws:/.test(x.text));
    if (t) return { value: t.text, tokens: [t.index] };
    return undefined;
  }
  const labels = f.labels.filter((l) => l.length > 1 || !GENERIC_LABELS.has(l[0]!));
  if (labels.length === 0) return undefined;
  const before = labels.some((l) => NAME_FIRST.has(l[l.length - 1]!));
  return labelled(view, labels, (t) => isIdentifierValue(t, view), before);
}

/** Required numeric fields whose spec gives an example and no default (Kafka's tuning knobs). */
function numericExample(prop: SpecNode): unknown {
  const ex = Array.isArray(prop.examples) ? prop.examples[0] : prop.examples;
  if (ex === undefined || ex === null) return undefined;
  const types = typesOf(prop);
  if (types.includes('integer') || types.includes('number')) return typeof ex === 'number' ? ex : parseNumber(String(ex));
  if (types.includes('string') && /^\d+$/.test(String(ex))) return String(ex);
  return undefined;
}

function coerce(value: unknown, prop: SpecNode): unknown {
  const types = typesOf(prop);
  if (types.includes('array')) return Array.isArray(value) ? value : [value];
  if (Array.isArray(value)) return types.includes('string') ? value.join(',') : undefined;
  if ((types.includes('integer') || types.includes('number')) && typeof value === 'string') return parseNumber(value);
  if (types.includes('string') && typeof value === 'number') return String(value);
  return value;
}

/** Secret cue from the text (`api key`) against a field's labels (`Secret Key`, `api_key`). */
function cueMatches(cue: string, f: FieldInfo): boolean {
  const last = cue.split(' ').pop()!;
  const words = new Set(f.labels.flat().map((w) => w.replace(/s$/, '')));
  if (cue === 'password' || cue === 'passwd' || cue === 'pwd' || cue === 'passphrase') return words.has('password') || words.has('passphrase');
  if (last === 'key') return words.has('key') || words.has('secret');
  if (last === 'token') return words.has('token');
  if (last === 'secret') return words.has('secret');
  return words.has(last);
}

/** Required secrets always; others when the text talks about them or a user name was given. */
function wantsSecret(ctx: Ctx, key: string, prop: SpecNode, required: boolean, siblings: Record<string, unknown>): boolean {
  if (required) return true;
  const info = fieldInfo(key, prop);
  if (ctx.description.secrets.some((s) => ctx.view.token(s.index) !== undefined && cueMatches(s.cue, info))) return true;
  if (ctx.description.secretRefs.some((r) => ctx.view.token(r.index) !== undefined && cueMatches(r.cue, info))) return true;
  if (ctx.description.secretMentions.some((m) => ctx.view.token(m.index) !== undefined && cueMatches(m.cue, info))) return true;
  if (info.labels.some((l) => l.length > 1 && ctx.view.has(l))) return true;
  if (/password$/.test(key) && Object.keys(siblings).some((k) => /user(name)?$/.test(k))) return true;
  if (/password$/.test(key) && ctx.view.has(['password'])) return true;
  return false;
}

function pointerPath(pointer: string): (string | number)[] {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

