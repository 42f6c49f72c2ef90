import type { Token } from './description.js';
import { labelWords, typesOf, type SpecNode } from './spec-node.js';
import { FUNCTION_WORDS, LINK_WORDS, NOT_A_NAME, STOP_WORDS, parseNumber, type TextView } from './text-view.js';

/** A value found in the text for one field, with the tokens it came from. */
export interface Found {
  value: unknown;
  tokens: number[];
}

/** One field of a spec as the finders see it. */
export interface FieldInfo {
  key: string;
  node: SpecNode;
  /** Label phrases from the key and the title, longest first. */
  labels: string[][];
  kind: FieldKind | undefined;
  /** Other keys of the same object: "role x" names the user only where no `role` field exists. */
  siblings?: readonly string[];
}

export type FieldKind =
  | 'host' | 'port' | 'database' | 'username' | 'schemas' | 'bucket' | 'bucket_path' | 'region' | 'endpoint' | 'url'
  | 'topic' | 'bootstrap' | 'date' | 'file_path' | 'repositories' | 'count' | 'pool' | 'parallel' | 'duration' | 'ssl';

const KIND_BY_KEY: Array<[RegExp, FieldKind]> = [
  [/^(host|hostname|host_name|server)$|_host$/, 'host'],
  [/^port$/, 'port'],
  [/^(database|db|dbname|database_name|db_name)$/, 'database'],
  [/^(username|user|user_name|login)$|_user$/, 'username'],
  [/^(schemas?|default_schema|databases)$/, 'schemas'],
  [/(^|_)bucket(_name)?$/, 'bucket'],
  [/(bucket_path|path_prefix)$/, 'bucket_path'],
  [/region/, 'region'],
  [/endpoint$/, 'endpoint'],
  [/(^url$|^api_url$|connection_string)/, 'url'],
  [/^(topic_pattern|topic|topics)$/, 'topic'],
  [/bootstrap_servers/, 'bootstrap'],
  [/(^|_)date$/, 'date'],
  [/^(destination_path|file_path)$/, 'file_path'],
  [/^repositor(y|ies)$/, 'repositories'],
  [/^(count|max_records|limit)$/, 'count'],
  [/(pool_size|max_db_connections|max_connections|pool)/, 'pool'],
  [/(parallel|concurren|workers|threads)/, 'parallel'],
  [/(timeout|interval|wait|delay).*(_ms|_seconds|_secs|_minutes|_hours)$/, 'duration'],
  [/^(ssl|ssl_mode|tls|encryption|use_ssl)$/, 'ssl'],
];

export function fieldInfo(key: string, node: SpecNode, siblings?: readonly string[]): FieldInfo {
  const title = node.title ?? '';
  let kind = KIND_BY_KEY.find(([re]) => re.test(key))?.[1];
  if (!kind && /^encryption$/i.test(title)) kind = 'ssl';
  if (kind === 'parallel' && /max_db_connections/.test(key)) kind = 'pool';
  if ((kind === 'pool' || kind === 'parallel' || kind === 'count') && !typesOf(node).some((t) => t === 'integer' || t === 'number')) kind = undefined;
  const phrases = new Map<string, string[]>();
  for (const src of [key, title]) {
    const all = labelWords(src).filter((w) => !['the', 'of', 'to', 'in', 'a', 'advanced', 'optional'].includes(w));
    const words = all.filter((w) => w !== 'id' && w !== 'name');
    if (words.length > 0) phrases.set(words.join(' '), words);
    // "client id x": the full label reads better than "client x".
    if (all.length > words.length && all.length > 1) phrases.set(all.join(' '), all);
  }
  const labels = [...phrases.values()].sort((a, b) => b.length - a.length);
  return { key, node, labels, kind, ...(siblings ? { siblings } : {}) };
}

const HOST_RE = /^(localhost|(\d{1,3}\.){3}\d{1,3}|([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9])(:\d{1,5})?$/i;
const FILE_EXT = /\.(duckdb|db|json|jsonl|csv|parquet|sqlite|sqlite3|yaml|yml|txt|gz|avro|xlsx|log|ndjson|md|py|ts|js)$/i;
const REGION_RE = /^(us|eu|ap|sa|ca|me|af|il|mx|cn)-(gov-)?(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

export function isHostToken(t: Token): boolean {
  return !t.secret && HOST_RE.test(t.text) && !FILE_EXT.test(t.text.replace(/:\d+$/, '')) && !/^\d+(\.\d+)?$/.test(t.text) && !REGION_RE.test(t.text);
}

export function isUrlToken(t: Token): boolean {
  return !t.secret && URL_RE.test(t.text);
}

export function isIdentifierValue(t: Token | undefined, view: TextView): boolean {
  if (!t || t.secret || !view.isFree(t.index)) return false;
  if (t.quoted) return t.text.trim().length > 0;
  if (FUNCTION_WORDS.has(t.lower) || LINK_WORDS.has(t.lower)) return false;
  return /^[A-Za-z0-9_][A-Za-z0-9_.$*-]*$/.test(t.text) && !/^\d+$/.test(t.text);
}

/** The value token after a label: `database analytics`, `user: 'etl'`, `database named shop`. */
export function valueAfter(view: TextView, at: number, labelLength: number, accept: (t: Token) => boolean): Token | undefined {
  let j = at + labelLength;
  for (let skipped = 0; skipped < 3; skipped++) {
    const t = view.token(j);
    if (!t) return undefined;
    if (!t.quoted && (LINK_WORDS.has(t.lower) || t.lower === 'the')) { j++; continue; }
    return accept(t) ? t : undefined;
  }
  return undefined;
}

/** The value token before a label: `the analytics database`, `our orders topic`. */
export function valueBefore(view: TextView, at: number, accept: (t: Token) => boolean): Token | undefined {
  const t = view.token(at - 1);
  // "production database" names no database; "HTTP, database x" is not about HTTP.
  if (!t || !accept(t) || /[,;.:]/.test(t.trail) || (!t.quoted && (NOT_A_NAME.has(t.lower) || STOP_WORDS.has(t.lower)))) return undefined;
  const prev = view.token(at - 2);
  // Plain words need a determiner before them: "the analytics database", not "production database".
  if (t.quoted || /[_\d-]/.test(t.text) || /^[A-Z0-9_]+$/.test(t.text)) return t;
  if (!prev) return undefined;
  // After a system's name ("our PostgreSQL orders database") or a determiner.
  return ['the', 'our', 'my', 'your', 'their', 'a', 'its', 'in', 'into', 'to', 'from'].includes(prev.lower) || view.used.has(prev.index) ? t : undefined;
}

/** A labelled value: label phrase then value, or (for names people put first) value then label. */
export function labelled(view: TextView, labels: readonly string[][], accept: (t: Token) => boolean, before = false): Found | undefined {
  for (const label of labels) {
    for (const at of view.find(label)) {
      const v = valueAfter(view, at, label.length, accept);
      if (v) return { value: v.text, tokens: [v.index] };
    }
  }
  if (!before) return undefined;
  for (const label of labels) {
    for (const at of view.find(label)) {
      const v = valueBefore(view, at, accept);
      if (v) return { value: v.text, tokens: [v.index] };
    }
  }
  return undefined;
}

/** The first free token that passes, preferring one right after a hint word. */
export function firstToken(view: TextView, accept: (t: Token) => boolean, hints: readonly string[] = []): Token | undefined {
  let fallback: Token | undefined;
  for (const t of view.tokens) {
    if (!view.isFree(t.index) || !accept(t)) continue;
    const prev = view.token(t.index - 1)?.lower ?? '';
    const prev2 = view.token(t.index - 2)?.lower ?? '';
    if (hints.includes(prev) || (LINK_WORDS.has(prev) && hints.includes(prev2))) return t;
    fallback ??= t;
  }
  return fallback;
}

/** Parsed parts of a connection URL in the text (`postgres://user@host:5432/db?sslmode=require`). */
export interface UrlParts {
  token: number;
  scheme: string;
  host?: string;
  port?: number;
  user?: string;
  path?: string;
  params: URLSearchParams;
  text: string;
}

export function urlParts(view: TextView): UrlParts[] {
  const out: UrlParts[] = [];
  for (const t of view.tokens) {
    if (!isUrlToken(t)) continue;
    const scheme = t.text.slice(0, t.text.indexOf(':')).replace(/^jdbc$/, '').toLowerCase();
    try {
      const u = new URL(t.text.replace(/^jdbc:/, ''));
      out.push({
        token: t.index, scheme: u.protocol.replace(/:$/, '').toLowerCase(), text: t.text, params: u.searchParams,
        ...(u.hostname ? { host: u.hostname } : {}), ...(u.port ? { port: Number(u.port) } : {}),
        ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
        ...(u.pathname && u.pathname !== '/' ? { path: decodeURIComponent(u.pathname.replace(/^\//, '')) } : {}),
      });
    } catch {
      // Multi-host URLs (mongodb://a:1,b:2/) are not WHATWG URLs: keep the whole text only.
      out.push({ token: t.index, scheme, text: t.text, params: new URLSearchParams() });
    }
  }
  return out;
}

export function findHost(view: TextView, f: FieldInfo): Found | undefined {
  for (const u of urlParts(view)) {
    if (u.host && !/^(https?|s3|gs)$/.test(u.scheme) && view.isFree(u.token)) return { value: u.host, tokens: [u.token] };
  }
  const t = firstToken(view, (x) => isHostToken(x) && !x.text.includes('/'), ['on', 'at', 'host', 'hostname', 'server', '@', 'via', 'endpoint']);
  if (t) return { value: t.text.replace(/:\d+$/, ''), tokens: [t.index] };
  const l = labelled(view, [['host'], ['hostname'], ...f.labels], (x) => isIdentifierValue(x, view) && /^[a-z0-9.-]+$/i.test(x.text));
  return l;
}

export function findPort(view: TextView, f: FieldInfo): Found | undefined {
  const ok = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n > 0 && n < 65536;
  for (const label of [['port'], ...f.labels]) {
    for (const at of view.find(label)) {
      const v = valueAfter(view, at, label.length, (t) => view.isFree(t.index) && ok(parseNumber(t.text)));
      if (v) return { value: parseNumber(v.text), tokens: [v.index] };
      const b = view.token(at - 1);
      if (b && view.isFree(b.index) && ok(parseNumber(b.text))) return { value: parseNumber(b.text), tokens: [b.index] };
    }
  }
  for (const u of urlParts(view)) if (u.port && !/^https?$/.test(u.scheme)) return { value: u.port, tokens: [] };
  for (const t of view.tokens) {
    const m = /:(\d{1,5})$/.exec(t.text);
    if (m && isHostToken(t) && !t.text.includes(',') && ok(Number(m[1]))) return { value: Number(m[1]), tokens: [] };
  }
  return undefined;
}

export function findDatabase(view: TextView, f: FieldInfo): Found | undefined {
  const l = labelled(view, [['database'], ['db'], ['dbname'], ...f.labels], (t) => isIdentifierValue(t, view), true);
  if (l) return l;
  for (const u of urlParts(view)) if (u.path && !/^(https?|s3|gs)$/.test(u.scheme) && !u.path.includes('/')) return { value: u.path, tokens: [] };
  return undefined;
}

export function findUsername(view: TextView, f: FieldInfo): Found | undefined {
  const accept = (t: Token) => isIdentifierValue(t, view) && !['account', 'role', 'with', 'that'].includes(t.lower);
  const roleIsUser = f.siblings !== undefined && !f.siblings.includes('role');
  const l = labelled(view, [['username'], ['user'], ['login'], ['user', 'name'], ...(roleIsUser ? [['role']] : []), ...f.labels.filter((x) => x.join(' ') !== 'user')], accept, true);
  if (l) return l;
  for (const verb of [['connect', 'as'], ['log', 'in', 'as'], ['login', 'as'], ['authenticate', 'as'], ['logged', 'in', 'as']]) {
    for (const at of view.find(verb)) {
      const t = view.token(at + verb.length);
      if (t && accept(t)) return { value: t.text, tokens: [t.index] };
    }
  }
  for (const u of urlParts(view)) if (u.user) return { value: u.user, tokens: [] };
  return undefined;
}

export function findList(view: TextView, labels: readonly string[][], accept: (t: Token) => boolean): Found | undefined {
  for (const label of labels) {
    for (const at of view.find(label)) {
      const first = valueAfter(view, at, label.length, accept);
      if (first) {
        const values = [first.text];
        const tokens = [first.index];
        let j = first.index + 1;
        while (true) {
          const prev = view.token(j - 1)!;
          const sep = view.token(j);
          const isAnd = sep !== undefined && ['and', '&'].includes(sep.lower);
          if (!prev.trail.includes(',') && !isAnd) break;
          const next = view.token(isAnd ? j + 1 : j);
          if (!next || !accept(next)) break;
          values.push(next.text);
          tokens.push(next.index);
          j = next.index + 1;
        }
        return { value: values, tokens };
      }
      const before = valueBefore(view, at, accept);
      if (before) {
        const values = [before.text];
        const tokens = [before.index];
        // "the sales and marketing schemas"
        const and = view.token(before.index - 1);
        const prev = view.token(before.index - 2);
        if (and?.lower === 'and' && prev && accept(prev)) { values.unshift(prev.text); tokens.unshift(prev.index); }
        return { value: values, tokens };
      }
    }
  }
  return undefined;
}

/** `a, b and c` written as separate tokens: the tokenizer keeps commas at the end of words. */
export function findSchemas(view: TextView, f: FieldInfo): Found | undefined {
  const accept = (t: Token) => isIdentifierValue(t, view);
  const isArray = typesOf(f.node).includes('array');
  const singular = f.key.replace(/s$/, '').replace(/^default_/, '');
  const labels = isArray ? [[`${singular}s`], [singular], ...f.labels] : [[singular], ...f.labels];
  const found = findList(view, labels, accept);
  if (!found) return undefined;
  return isArray ? found : { value: (found.value as string[])[0], tokens: found.tokens.slice(0, 1) };
}

export function findBucket(view: TextView, f: FieldInfo): Found | undefined {
  for (const u of urlParts(view)) if (/^(s3|s3a|gs)$/.test(u.scheme) && u.host) return { value: u.host, tokens: [u.token] };
  return labelled(view, [['bucket'], ...f.labels], (t) => isIdentifierValue(t, view) && /^[a-z0-9][a-z0-9._-]*$/i.test(t.text), true);
}

export function findBucketPath(view: TextView, f: FieldInfo): Found | undefined {
  for (const u of urlParts(view)) if (/^(s3|s3a|gs)$/.test(u.scheme) && u.path) return { value: u.path.replace(/\/$/, ''), tokens: [] };
  return labelled(view, [['prefix'], ['path'], ['folder'], ['directory'], ['under'], ...f.labels], (t) => !t.secret && view.isFree(t.index)
    && (t.quoted || /^[\w.-]+(\/[\w.{}$-]*)*\/?$/.test(t.text)) && !STOP_WORDS.has(t.lower));
}

export function findRegion(view: TextView): Found | undefined {
  const t = firstToken(view, (x) => REGION_RE.test(x.lower));
  return t ? { value: t.lower, tokens: [t.index] } : undefined;
}

export function findUrl(view: TextView, f: FieldInfo, schemes: RegExp): Found | undefined {
  for (const u of urlParts(view)) if (schemes.test(u.scheme) && view.isFree(u.token)) return { value: u.text, tokens: [u.token] };
  return undefined;
}

export function findEndpoint(view: TextView, f: FieldInfo): Found | undefined {
  const labels = [['endpoint'], ...f.labels];
  for (const label of labels) {
    for (const at of view.find(label)) {
      const v = valueAfter(view, at, label.length, (t) => isUrlToken(t) || isHostToken(t));
      if (v) return { value: v.text, tokens: [v.index] };
    }
  }
  return findUrl(view, f, /^https?$/);
}

export function findTopic(view: TextView, f: FieldInfo): Found | undefined {
  const accept = (t: Token) => !t.secret && view.isFree(t.index) && (t.quoted || (/^[A-Za-z0-9_{][\w.{}*$-]*$/.test(t.text) && !STOP_WORDS.has(t.lower) && t.lower !== 'pattern'));
  return labelled(view, [...f.labels, ['topic'], ['topics']], accept, true);
}

export function findBootstrap(view: TextView, f: FieldInfo): Found | undefined {
  const hostPorts = view.tokens.filter((t) => view.isFree(t.index) && t.text.split(',').every((p) => /^[a-z0-9.-]+:\d{2,5}$/i.test(p)));
  if (hostPorts.length > 0) return { value: hostPorts.map((t) => t.text).join(','), tokens: hostPorts.map((t) => t.index) };
  const l = labelled(view, [['brokers'], ['broker'], ['bootstrap', 'servers'], ['bootstrap', 'server'], ...f.labels], (t) => isHostToken(t));
  return l;
}

export function findDate(view: TextView, f: FieldInfo): Found | undefined {
  for (const t of view.tokens) {
    if (!view.isFree(t.index)) continue;
    let iso: string | undefined;
    const m = /^(\d{4})-(\d{2})-(\d{2})(T[\d:.]+Z?)?$/.exec(t.text);
    if (m) iso = `${m[1]}-${m[2]}-${m[3]}`;
    const month = MONTHS.findIndex((x) => x === t.lower || (t.lower.length >= 3 && x.startsWith(t.lower) && t.lower !== 'may' && t.lower !== 'mar'));
    const monthExact = MONTHS.indexOf(t.lower);
    const mi = month >= 0 ? month : monthExact;
    if (!iso && mi >= 0) {
      // "January 1, 2023", "Jan 1 2023", "1 January 2023", "January 2023"
      const next = view.token(t.index + 1)?.text.replace(/(st|nd|rd|th)$/, '');
      const next2 = view.token(t.index + 2)?.text;
      const prev = view.token(t.index - 1)?.text.replace(/(st|nd|rd|th)$/, '');
      let day: number | undefined;
      let year: number | undefined;
      if (next && /^\d{1,2}$/.test(next) && next2 && /^\d{4}$/.test(next2)) { day = Number(next); year = Number(next2); }
      else if (prev && /^\d{1,2}$/.test(prev) && next && /^\d{4}$/.test(next)) { day = Number(prev); year = Number(next); }
      else if (next && /^\d{4}$/.test(next)) { day = 1; year = Number(next); }
      if (day && year) iso = `${year}-${String(mi + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }
    if (!iso && /^(19|20)\d{2}$/.test(t.text) && ['since', 'from', 'after', 'starting'].includes(view.token(t.index - 1)?.lower ?? '')) iso = `${t.text}-01-01`;
    if (iso) return { value: formatDateLike(iso, f.node), tokens: [t.index] };
  }
  return undefined;
}

/** Dates take the shape of the spec's example: `2021-01-01T00:00:00Z` or `...00.000000Z` or plain. */
function formatDateLike(iso: string, node: SpecNode): string {
  const ex = Array.isArray(node.examples) ? String(node.examples[0] ?? '') : typeof node.examples === 'string' ? node.examples : '';
  const pattern = node.pattern ?? '';
  if (/T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(ex)) return `${iso}T00:00:00.000000Z`;
  if (/T\d{2}:\d{2}:\d{2}Z$/.test(ex) || pattern.includes('T')) return `${iso}T00:00:00Z`;
  return iso;
}

export function findFilePath(view: TextView): Found | undefined {
  const t = firstToken(view, (x) => !x.secret && (/^(\.{0,2}\/|~\/)[^\s]*$/.test(x.text) || (FILE_EXT.test(x.text) && !x.text.includes('://'))) && x.text !== '/dev/null',
    ['to', 'at', 'in', 'into', 'file', 'path']);
  return t ? { value: t.text, tokens: [t.index] } : undefined;
}

export function findRepositories(view: TextView): Found | undefined {
  const repos = view.tokens.filter((t) => view.isFree(t.index) && /^[A-Za-z0-9][\w.-]*\/[\w.*-]+$/.test(t.text) && !t.text.startsWith('.') && !/^(and|or)\//.test(t.text));
  return repos.length > 0 ? { value: repos.map((t) => t.text), tokens: repos.map((t) => t.index) } : undefined;
}

const COUNT_NOUNS = new Set(['records', 'rows', 'users', 'items', 'events', 'messages', 'entries', 'documents', 'fake', 'people', 'customers']);

export function findCount(view: TextView, f: FieldInfo): Found | undefined {
  for (const t of view.tokens) {
    if (!view.isFree(t.index)) continue;
    const next = view.token(t.index + 1)?.lower;
    const n = parseNumber(t.text, next);
    if (n === undefined || !Number.isInteger(n)) continue;
    const scaleWord = next === 'million' || next === 'thousand' || next === 'billion';
    const noun = view.token(t.index + (scaleWord ? 2 : 1))?.lower ?? '';
    const noun2 = view.token(t.index + (scaleWord ? 3 : 2))?.lower ?? '';
    if (COUNT_NOUNS.has(noun) && !(noun === 'records' && noun2 === 'per')) return { value: n, tokens: [t.index] };
    if (f.labels.some((l) => l.length === 1 && l[0] === view.token(t.index - 1)?.lower)) return { value: n, tokens: [t.index] };
  }
  return undefined;
}

const POOL_WORDS = ['pool', 'pooling', 'pooled', 'pools'];
const PARALLEL_WORDS = ['parallel', 'parallelism', 'concurrent', 'concurrently', 'concurrency', 'workers', 'threads', 'readers', 'parallelize'];
const SPEED_PHRASES = ['high performance', 'high-performance', 'fast', 'faster', 'fastest', 'speed', 'quickly', 'throughput', 'performant', 'performance'];

/** Performance words mapped to the spec's own pool or parallelism option, with a number when given. */
export function findPerformance(view: TextView, f: FieldInfo): Found | undefined {
  const pool = f.kind === 'pool';
  const words = pool ? [...POOL_WORDS, 'connections'] : [...PARALLEL_WORDS];
  // "Max Concurrent Queries" is a pool limit that parallel words also set.
  const alsoParallel = pool && /concurren|parallel/i.test(f.node.title ?? '');
  const parallelAsked = view.hasAny(PARALLEL_WORDS) || view.hasAny(SPEED_PHRASES);
  const triggered = pool ? view.hasAny(POOL_WORDS) || view.hasAny(['max connections', 'connection limit']) || (alsoParallel && parallelAsked) : parallelAsked;
  if (alsoParallel) words.push(...PARALLEL_WORDS);
  if (!triggered) return undefined;
  for (const w of [...words, ...f.labels.map((l) => l.join(' '))]) {
    for (const at of view.find(w.split(' '))) {
      for (const k of [-1, -2, 1, 2, 3]) {
        const t = view.token(k < 0 ? at + k : at + w.split(' ').length - 1 + k);
        const n = t && view.isFree(t.index) ? parseNumber(t.text) : undefined;
        if (n !== undefined && Number.isInteger(n) && n > 0 && n <= 1024) return { value: bound(n, f.node), tokens: [t!.index] };
      }
    }
  }
  const base = pool ? 10 : 4;
  const def = typeof f.node.default === 'number' ? f.node.default : 0;
  return { value: bound(Math.max(base, def), f.node), tokens: [] };
}

function bound(n: number, node: SpecNode): number {
  let v = n;
  if (typeof node.maximum === 'number') v = Math.min(v, node.maximum);
  if (typeof node.minimum === 'number') v = Math.max(v, node.minimum);
  return v;
}

const UNITS: Record<string, number> = { ms: 1, millisecond: 1, milliseconds: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000, h: 3_600_000, hour: 3_600_000, hours: 3_600_000 };

/** `statement timeout of 5 minutes` → 300000 for a `_ms` field. */
export function findDuration(view: TextView, f: FieldInfo): Found | undefined {
  const unitOfField = /_ms$/.test(f.key) ? 1 : /_(seconds|secs)$/.test(f.key) ? 1000 : /_minutes$/.test(f.key) ? 60_000 : 3_600_000;
  const labels = f.labels.map((l) => l.filter((w) => !['ms', 'seconds', 'secs', 'minutes', 'hours', 'in'].includes(w))).filter((l) => l.length > 0);
  labels.push(['timeout']);
  for (const label of labels) {
    for (const at of view.find(label)) {
      for (let j = at + label.length; j < at + label.length + 5; j++) {
        const t = view.token(j);
        if (!t) break;
        const n = parseNumber(t.text);
        if (n === undefined) continue;
        const unit = UNITS[view.token(j + 1)?.lower ?? ''];
        if (!unit) continue;
        return { value: Math.round((n * unit) / unitOfField), tokens: [t.index] };
      }
    }
  }
  return undefined;
}
