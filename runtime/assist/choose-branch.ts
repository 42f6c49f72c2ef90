import { discriminatorOf, fixedValue, labelWords, type SpecNode } from './spec-node.js';
import type { TextView } from './text-view.js';

export type SslLevel = 'off' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

const SSL_WORDS = ['ssl', 'tls', 'encrypted', 'encryption', 'encrypt', 'sslmode', 'https'];

/** What the text asks of transport encryption, if anything. */
export function sslIntent(view: TextView, extras: ReadonlySet<string>): SslLevel | undefined {
  const hits = SSL_WORDS.flatMap((w) => view.find([w]));
  if (view.hasAny(['unencrypted', 'plaintext connection', 'plain text connection'])) return 'off';
  const sslmode = [...extras].find((e) => e.startsWith('sslmode='));
  if (sslmode) return levelOfWord(sslmode.slice(8)) ?? 'require';
  if (hits.length === 0) return undefined;
  if (hits.every((i) => view.negated(i))) return 'off';
  if (view.hasAny(['verify-full', 'verify full', 'verify_identity', 'verify identity', 'full verification', 'verify the hostname', 'verify hostname'])) return 'verify-full';
  if (view.hasAny(['verify-ca', 'verify ca', 'verify_ca', 'ca certificate', 'verify the certificate', 'verify certificate', 'verify the server certificate'])) return 'verify-ca';
  if (view.hasAny(['verify', 'verified', 'verification', 'validated', 'validate']) && view.hasAny(['the ca', 'a ca', 'our ca', 'certificate authority'])) return 'verify-ca';
  if (view.hasAny(['prefer', 'preferred', 'if available', 'when available', 'if possible', 'opportunistic'])) return 'prefer';
  if (view.hasAny(['allow ssl', 'allow tls'])) return 'allow';
  return 'require';
}

function levelOfWord(w: string): SslLevel | undefined {
  const x = w.toLowerCase().replace(/_/g, '-');
  if (x === 'disable' || x === 'unencrypted') return 'off';
  if (x === 'allow') return 'allow';
  if (x.startsWith('prefer')) return 'prefer';
  if (x.startsWith('require') || x === 'encrypted-trust-server-certificate') return 'require';
  if (x === 'verify-ca' || x === 'encrypted-verify-certificate') return 'verify-ca';
  if (x === 'verify-full' || x === 'verify-identity') return 'verify-full';
  return undefined;
}

const LEVELS: SslLevel[] = ['off', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** The branch of an SSL oneOf for a level; the nearest stronger one when the spec lacks it. */
export function sslBranch(branches: readonly SpecNode[], level: SslLevel): number {
  const key = discriminatorOf(branches);
  if (!key) return -1;
  const levels = branches.map((b) => levelOfWord(String(fixedValue(b.properties?.[key])?.value ?? '')));
  // "No encryption" where the spec has no such option: leave the connector's default, don't pick one.
  if (level === 'off' && !levels.includes('off')) return -1;
  const want = LEVELS.indexOf(level);
  for (let l = want; l < LEVELS.length; l++) {
    const i = levels.indexOf(LEVELS[l]!);
    if (i >= 0) return i;
  }
  for (let l = want - 1; l >= 0; l--) {
    const i = levels.indexOf(LEVELS[l]!);
    if (i >= 0) return i;
  }
  return -1;
}

/** Other words people use for an option, keyed by the option's normalized value or title. */
const SYNONYMS: Record<string, string[]> = {
  cdc: ['cdc', 'change data capture', 'change-data-capture', 'wal', 'write-ahead log', 'write ahead log', 'logical replication', 'binlog', 'change stream', 'change streams', 'replication slot', 'logical decoding'],
  xmin: ['xmin'],
  standard: ['cursor', 'user defined cursor', 'cursor column', 'cursor field'],
  'ssh key auth': ['ssh key', 'private key', 'pem key', 'key-based ssh'],
  'ssh password auth': ['ssh password', 'tunnel password', 'jump host password', 'bastion password'],
  'sasl ssl': ['sasl_ssl', 'sasl ssl', 'sasl over ssl', 'sasl over tls', 'sasl/ssl'],
  'sasl plaintext': ['sasl_plaintext', 'sasl plaintext'],
  plaintext: ['plaintext', 'no authentication', 'unauthenticated', 'without authentication'],
  jsonl: ['jsonl', 'json lines', 'ndjson', 'newline-delimited json', 'newline delimited json', 'json'],
  csv: ['csv', 'comma-separated', 'comma separated'],
  parquet: ['parquet'],
  avro: ['avro'],
  excel: ['excel', 'xlsx'],
  gzip: ['gzip', 'gzipped', 'gz', 'compressed'],
  'no compression': ['no compression', 'uncompressed', 'without compression', 'not compressed'],
  'gcs staging': ['gcs staging', 'staging bucket', 'stage through gcs', 'via gcs'],
  'use file transfer': ['raw files', 'copy files', 'file transfer', 'copy the files'],
  'key pair authentication': ['key pair', 'private key', 'key-pair'],
  'username and password': ['password'],
  'pat credentials': ['personal access token', 'pat', 'token', 'access token'],
  'oauth credentials': ['oauth'],
  subscribe: ['subscribe', 'topic pattern', 'topics matching', 'pattern', 'topic', 'topics'],
  assign: ['assign', 'partitions', 'partition'],
  json: ['json'],
  https: ['https', 'http', 'web', 'public url', 'url'],
  gcs: ['gcs', 'google cloud storage', 'gs'],
  s3: ['s3', 'aws'],
  azblob: ['azure', 'blob storage', 'azure blob'],
  ssh: ['ssh'],
  scp: ['scp'],
  sftp: ['sftp'],
  local: ['local filesystem', 'local file', 'local disk'],
  'atlas replica set': ['atlas', 'mongodb+srv'],
  'self managed replica set': ['self-managed', 'self managed', 'replica set', 'mongodb'],
  logging: ['log', 'logging', 'logs'],
  silent: ['silent', 'silently', 'discard', 'discards', 'throw away'],
  throttled: ['throttle', 'throttled', 'slowly'],
  failing: ['failing', 'fail after'],
  comma: ['comma', 'comma-separated', 'commas'],
  semicolon: ['semicolon', 'semicolons'],
  pipe: ['pipe', 'pipe-delimited', 'pipes'],
  tab: ['tab', 'tsv', 'tab-separated', 'tabs'],
  space: ['space-separated', 'spaces'],
  'no tunnel': ['no tunnel', 'no ssh', 'directly', 'direct connection'],
  'use records transfer': [],
};

/** Option values that are everyday words: they pick a branch only when the option itself is named. */
const WEAK = new Set(['standard', 'disable', 'allow', 'prefer', 'require', 'none', 'default', 'local', 'logging', 'silent', 'failing',
  'throttled', 'https', 'json', 'pattern', 'space', 'pipe', 'tab', 'comma', 'username and password', 'pat credentials', 'assign',
  'subscribe', 'self managed replica set', 'no tunnel', 'plaintext', 'ssh', 's3']);

/**
 * Picks a oneOf branch from the words of the text: the option's value, its title and common words
 * for it. Options whose words are everyday words count only when the property itself is named
 * (its title or key), so "password" alone does not pick an SSH tunnel with password.
 */
export function chooseBranch(view: TextView, key: string, prop: SpecNode, extras: ReadonlySet<string>): number {
  const branches = prop.oneOf ?? [];
  const disc = discriminatorOf(branches);
  const propWords = [...new Set([...labelWords(key), ...labelWords(prop.title ?? '')])]
    .filter((w) => !['method', 'type', 'mode', 'the', 'of', 'advanced', 'options', 'option', 'settings'].includes(w));
  const named = propWords.some((w) => view.has([w]) || extras.has(w));
  let best = -1;
  let bestScore = 0;
  let tie = false;
  branches.forEach((b, i) => {
    const value = disc ? String(fixedValue(b.properties?.[disc])?.value ?? '') : '';
    const norm = normalize(value);
    const title = normalize((b.title ?? '').split(/[:(]/)[0]!);
    const raw = value.toLowerCase();
    const phrases = new Set<string>([norm, title, ...(SYNONYMS[norm] ?? []), ...(SYNONYMS[title] ?? []), ...(raw.includes(' ') ? [] : [raw])].filter(Boolean));
    let score = 0;
    for (const p of phrases) {
      const words = p === raw ? [raw] : p.split(' ');
      const inText = view.find(words).some((at) => !view.negated(at));
      // A URL's scheme (https://, s3://) is evidence enough: nobody writes it by accident.
      const implied = words.length === 1 && extras.has(p);
      if (!inText && !implied) continue;
      const weak = WEAK.has(p) && !implied;
      if (weak && !named) continue;
      score += p === norm ? 3 : 1;
    }
    if (score > bestScore) { best = i; bestScore = score; tie = false; } else if (score === bestScore && score > 0) tie = true;
  });
  return tie ? -1 : best;
}

export function normalize(s: string): string {
  return s.toLowerCase().replace(/[_-]+/g, ' ').replace(/[^a-z0-9+/ ]/g, '').replace(/\s+/g, ' ').trim();
}
