import type { Token } from './description.js';

/** Words that carry no value: a value is never one of these. */
export const STOP_WORDS = new Set([
  'a', 'an', 'the', 'our', 'my', 'your', 'their', 'its', 'this', 'that', 'these', 'those', 'is', 'are', 'be', 'to', 'of', 'in',
  'on', 'at', 'for', 'with', 'and', 'or', 'from', 'into', 'by', 'as', 'it', 'we', 'us', 'i', 'please', 'use', 'using', 'set',
  'up', 'via', 'over', 'all', 'any', 'each', 'every', 'then', 'also', 'only', 'so', 'but', 'not', 'no', 'should', 'must',
  'will', 'can', 'named', 'called', 'name', 'which', 'where', 'when', 'per', 'some', 'new', 'existing', 'one', 'both',
  'connect', 'connection', 'connections', 'enable', 'enabled', 'data', 'read', 'write', 'copy', 'sync', 'load', 'table',
  'tables', 'database', 'db', 'schema', 'schemas', 'bucket', 'topic', 'user', 'username', 'port', 'host', 'server',
  'password', 'secret', 'token', 'key', 'an', 'if', 'than', 'there', 'here', 'them', 'they', 'he', 'she', 'via', 'about',
  'like', 'have', 'has', 'get', 'make', 'do', 'does', 'need', 'needs', 'want', 'default', 'same', 'other', 'run', 'runs',
  'running', 'hour', 'hourly', 'daily', 'day', 'minutes', 'every', 'account', 'region', 'path', 'file', 'files', 'format',
]);

/** Words that cannot be a name written after a label (`user sync` is a user called sync). */
export const FUNCTION_WORDS = new Set([
  'a', 'an', 'the', 'our', 'my', 'your', 'their', 'its', 'this', 'that', 'these', 'those', 'is', 'are', 'be', 'to', 'of', 'in',
  'on', 'at', 'for', 'with', 'and', 'or', 'from', 'into', 'by', 'as', 'it', 'we', 'us', 'i', 'via', 'over', 'all', 'any', 'each',
  'every', 'then', 'also', 'only', 'so', 'but', 'not', 'no', 'if', 'than', 'there', 'here', 'them', 'they', 'which', 'where',
  'when', 'named', 'called', 'name', 'per', 'some', 'both', 'one', 'about', 'like', 'password', 'secret', 'token', 'key', 'should',
  'must', 'will', 'can', 'please', 'using', 'use', 'set', 'up', 'account', 'database', 'schema', 'user', 'host', 'port', 'table',
]);

/** Adjectives people put before "database", "schema"... that are not its name. */
export const NOT_A_NAME = new Set([
  'production', 'prod', 'staging', 'stage', 'dev', 'development', 'test', 'testing', 'main', 'primary', 'replica', 'read-only',
  'readonly', 'reporting', 'local', 'remote', 'internal', 'external', 'legacy', 'old', 'new', 'existing', 'company', 'whole',
  'entire', 'own', 'live', 'analytical', 'operational', 'transactional', 'cloud', 'managed', 'self-hosted', 'hosted', 'big',
  'large', 'small', 'shared', 'single', 'separate', 'target', 'source', 'destination', 'default', 'same', 'other', 'sql',
  'relational', 'nosql', 'raw', 'final', 'aws', 'gcp', 'azure', 'amazon', 'google', 'kafka', 'main', 'second', 'first',
]);

/** Words between a label and its value: `database named x`, `user: x`, `port = 5432`. */
export const LINK_WORDS = new Set(['named', 'called', 'is', '=', ':', 'name', 'of', 'as', 'id', 'be', 'to']);

/**
 * A window on a description's tokens (one connector's part of the text): phrase search and the
 * value next to a label. Tokens used for one field are marked so that no other field takes them.
 */
export class TextView {
  readonly tokens: Token[];
  readonly used: Set<number>;
  readonly #all: Token[];

  constructor(all: Token[], from = 0, to = all.length, used = new Set<number>()) {
    this.#all = all;
    this.tokens = all.slice(from, to);
    this.used = used;
  }


  /** Indices (into the description) where the phrase starts, within this view. */
  find(phrase: readonly string[]): number[] {
    const out: number[] = [];
    if (phrase.length === 0) return out;
    for (const t of this.tokens) {
      if (phrase.every((w, k) => this.#word(t.index + k) === w)) out.push(t.index);
    }
    return out;
  }

  has(phrase: readonly string[]): boolean {
    return this.find(phrase).length > 0;
  }

  /** Any of the phrases, as word lists or space-separated strings. */
  hasAny(phrases: ReadonlyArray<string | readonly string[]>): boolean {
    return phrases.some((p) => this.has(typeof p === 'string' ? p.split(' ') : p));
  }

  token(i: number): Token | undefined {
    const first = this.tokens[0];
    if (!first) return undefined;
    const t = this.#all[i];
    return t && i >= first.index && i <= this.tokens[this.tokens.length - 1]!.index ? t : undefined;
  }

  /** A word for comparisons: lower case, `[secret]` and quoted values never match a label. */
  #word(i: number): string | undefined {
    const t = this.token(i);
    if (!t || t.secret || t.quoted) return undefined;
    return t.lower;
  }


  /** Was the word at `i` negated (`no ssl`, `without compression`, `disable ...`, `don't ...`)? */
  negated(i: number): boolean {
    for (let k = 1; k <= 3; k++) {
      const w = this.#word(i - k);
      if (w === undefined) return false;
      if (['no', 'without', 'disable', 'disabled', 'not', "don't", 'dont', 'never', 'turn', 'skip', 'off', 'non'].includes(w)) {
        return w !== 'turn' || this.#word(i + 1) === 'off' || this.#word(i - k + 1) === 'off';
      }
      if (['and', 'or', 'but', 'with', 'enable', 'use'].includes(w)) return false;
    }
    const after = this.#word(i + 1);
    return after === 'off' || after === 'disabled';
  }

  mark(i: number): void {
    this.used.add(i);
  }

  isFree(i: number): boolean {
    const t = this.token(i);
    return t !== undefined && !t.secret && !this.used.has(i);
  }
}

/** `10,000` → 10000, `10k` → 10000, `2M` → 2000000; undefined when not a number. */
export function parseNumber(text: string, next?: string): number | undefined {
  const t = text.replace(/^#/, '');
  let m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(t);
  if (m) {
    const n = Number(`${m[1]!.replace(/,/g, '')}${m[2] ? `.${m[2]}` : ''}`);
    const scale = next === 'million' || next === 'millions' ? 1e6 : next === 'thousand' ? 1e3 : next === 'billion' ? 1e9 : 1;
    return n * scale;
  }
  m = /^(\d+(?:\.\d+)?)([kKmM])$/.exec(t);
  if (m) return Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6);
  return undefined;
}
