import { createHash } from 'node:crypto';

/** One word or value of a description, as written (edge punctuation removed). */
export interface Token {
  /** As written; a masked secret reads `[secret]`. */
  text: string;
  /** Lower case, a possessive `'s` removed: what words are compared on. */
  lower: string;
  index: number;
  start: number;
  end: number;
  /** Was in quotes or backticks: a value, never a connector or filler word. */
  quoted: boolean;
  /** A secret taken out of the text: nothing may use it. */
  secret: boolean;
  /** First word of its sentence (capitals there say nothing). */
  sentenceStart: boolean;
  /** Punctuation removed from its end (`,` tells a list goes on). */
  trail: string;
}

/** A secret the description contained. Its value is not kept: only what it was called. */
export interface DetectedSecret {
  /** The words that introduced it, e.g. `password`, `api key`; or the kind of token it looked like. */
  cue: string;
  /** Position of the masked token. */
  index: number;
}

/** A secret the description says where to find (`password in $PGPASSWORD`): no value, just a name. */
export interface SecretReference {
  cue: string;
  envVar: string;
  /** Where the cue is. */
  index: number;
}

export interface Description {
  /** The text with secret values replaced by `[secret]`: the only form that may leave the process. */
  masked: string;
  tokens: Token[];
  secrets: DetectedSecret[];
  secretRefs: SecretReference[];
  /** Secrets the text talks about without giving one (`using an access key and a secret key`). */
  secretMentions: DetectedSecret[];
  /** True when `value` equals a secret of the text (compared by digest; values are not kept). */
  isSecretValue(value: string): boolean;
}

const SECRET_CUES: string[][] = [
  ['secret', 'access', 'key'], ['personal', 'access', 'token'], ['service', 'account', 'key'], ['client', 'secret'],
  ['secret', 'key'], ['api', 'key'], ['api', 'token'], ['access', 'token'], ['access', 'key'], ['private', 'key'],
  ['auth', 'token'], ['sas', 'token'], ['shared', 'key'], ['password'], ['passwd'], ['pwd'], ['passphrase'],
  ['secret'], ['token'], ['apikey'],
];
/** Words between a cue and its value: `password is x`, `api key: x`. */
const FILLER = new Set(['is', 'are', 'of', '=', ':', 'be', 'was', 'as', 'set', 'to', 'should', 'will', 'use', 'using', 'the', 'with']);
/** Words after a cue that mean no value follows: `the password is in the vault`. */
const NOT_A_VALUE = new Set([
  'from', 'in', 'env', 'environment', 'variable', 'var', 'vault', 'placeholder', 'stored', 'kept', 'and', 'or', 'for', 'auth',
  'authentication', 'a', 'an', 'our', 'my', 'your', 'their', 'that', 'which', 'it', 'we', 'later', 'file', 'instead', 'not', 'no',
  'none', 'empty', 'required', 'needed', 'provided', 'given', 'via', 'through', 'but', 'then', 'so', 'auth.', 'secret', 'secrets',
  'manager', 'each', 'every', 'at', 'on', 'by', 'field', 'key', 'token', 'password', 'login',
]);
const TOKEN_PATTERNS: Array<{ re: RegExp; cue: string }> = [
  { re: /^[sr]k_(live|test)_[A-Za-z0-9]{8,}$/, cue: 'secret key' },
  { re: /^(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})$/, cue: 'token' },
  { re: /^(AKIA|ASIA)[0-9A-Z]{16}$/, cue: 'access key' },
  { re: /^xox[abprs]-[A-Za-z0-9-]{10,}$/, cue: 'token' },
  { re: /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./, cue: 'token' },
  { re: /^-----BEGIN/, cue: 'private key' },
];
const KEY_VALUE = /^(password|passwd|pwd|token|secret|api_?key|access_?token)[=:](.+)$/i;
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]+):([^@\s/]+)@/i;
const ENV_REF = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

const OPEN_QUOTES: Record<string, string> = { "'": "'", '"': '"', '`': '`', '\u2018': '\u2019', '\u201c': '\u201d' };

/**
 * Splits a description into tokens and takes every secret out of it before anything else looks at
 * it: values after `password`, `api key`, `token`..., passwords in URLs (`postgres://u:p@h`), and
 * strings shaped like well-known keys. Nothing downstream can copy a secret from the text, because
 * no token holds one.
 */
export function parseDescription(text: string): Description {
  const found = new SecretFinder(tokenize(text));
  found.maskShapedTokens();
  found.maskCuedValues();
  found.findVariablesNearSecretWords();
  const { tokens, secrets, secretRefs, secretMentions, digests } = found;
  return { masked: found.maskedText(text), tokens, secrets, secretRefs, secretMentions, isSecretValue: (v) => digests.has(digest(v)) };
}

/** The passes that take secrets out of the tokens; values are kept only as digests. */
class SecretFinder {
  readonly secrets: DetectedSecret[] = [];
  readonly secretRefs: SecretReference[] = [];
  readonly secretMentions: DetectedSecret[] = [];
  readonly digests = new Set<string>();
  readonly #rewritten = new Set<number>();

  constructor(readonly tokens: Token[]) {}

  mask(t: Token, cue: string, value = t.text): void {
    this.digests.add(digest(value));
    t.text = '[secret]';
    t.lower = '[secret]';
    t.secret = true;
    this.secrets.push({ cue, index: t.index });
  }

  /** Passwords in URLs, `password=x` tokens, and strings shaped like well-known keys. */
  maskShapedTokens(): void {
    for (const t of this.tokens) {
      const userinfo = USERINFO.exec(t.text);
      if (userinfo) {
        this.digests.add(digest(userinfo[2]!));
        this.secrets.push({ cue: 'password', index: t.index });
        t.text = `${userinfo[1]}@${t.text.slice(userinfo[0].length)}`;
        t.lower = t.text.toLowerCase();
        this.#rewritten.add(t.index);
        continue;
      }
      const kv = KEY_VALUE.exec(t.text);
      if (kv) {
        this.mask(t, kv[1]!.toLowerCase().replace('_', ' ').replace('apikey', 'api key'), kv[2]!);
        continue;
      }
      const shaped = TOKEN_PATTERNS.find((p) => p.re.test(t.text));
      if (shaped) this.mask(t, shaped.cue);
    }
  }

  /** The value after `password`, `api key`...; or the variable it is read from. */
  maskCuedValues(): void {
    const tokens = this.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const cue = SECRET_CUES.find((c) => c.every((w, k) => tokens[i + k]?.lower === w));
      if (!cue) continue;
      this.secretMentions.push({ cue: cue.join(' '), index: i });
      let j = i + cue.length;
      // `password for the user`: the cue is a noun here, not followed by its value.
      const ref = envReference(tokens, j);
      if (ref) {
        this.secretRefs.push({ cue: cue.join(' '), envVar: ref, index: i });
        continue;
      }
      while (j < tokens.length && !tokens[j]!.quoted && FILLER.has(tokens[j]!.lower)) j++;
      const v = tokens[j];
      if (!v || v.secret || j - (i + cue.length) > 3) continue;
      if (v.quoted || looksLikeSecretValue(v.text)) this.mask(v, cue.join(' '));
    }
  }

  /** "key in $STRIPE_SECRET", "the token is ${GH_TOKEN}": a variable named near a secret word. */
  findVariablesNearSecretWords(): void {
    for (const t of this.tokens) {
      const m = ENV_REF.exec(t.text);
      if (!m || !t.text.startsWith('$') || this.secretRefs.some((r) => r.envVar === m[1])) continue;
      for (let k = t.index - 1; k >= Math.max(0, t.index - 4); k--) {
        const w = this.tokens[k]!.lower;
        if (['key', 'secret', 'password', 'token', 'passphrase', 'credentials', 'apikey'].includes(w)) {
          this.secretRefs.push({ cue: w, envVar: m[1]!, index: k });
          break;
        }
      }
    }
  }

  /** The text with every secret replaced: what may leave the process. */
  maskedText(text: string): string {
    let masked = '';
    let at = 0;
    for (const t of this.tokens) {
      if (!t.secret && !this.#rewritten.has(t.index)) continue;
      masked += text.slice(at, t.start) + t.text;
      at = t.end;
    }
    return masked + text.slice(at);
  }
}

/** `password from $PGPASSWORD`, `token in env var GH_TOKEN`, `password: ${DB_PASS}`. */
function envReference(tokens: Token[], from: number): string | undefined {
  for (let j = from; j < Math.min(tokens.length, from + 7); j++) {
    const t = tokens[j]!;
    const m = ENV_REF.exec(t.text);
    if (m && (t.text.startsWith('$') || /^[A-Z][A-Z0-9_]+$/.test(t.text)) && (t.text.startsWith('$') || /^(var|variable|env)$/.test(tokens[j - 1]?.lower ?? ''))) return m[1];
    if (!FILLER.has(t.lower) && !['from', 'in', 'the', 'env', 'environment', 'var', 'variable', 'an', 'named', 'called', 'comes', 'come', 'stored', 'lives', 'taken', 'read', 'kept'].includes(t.lower)) return undefined;
  }
  return undefined;
}

function looksLikeSecretValue(v: string): boolean {
  if (v.length < 3 || NOT_A_VALUE.has(v.toLowerCase())) return false;
  if (/^[a-z]+$/.test(v) && v.length < 6) return false;
  return /[0-9!@#$%^&*+=/_-]/.test(v) || /[A-Z]/.test(v.slice(1)) || v.length >= 6;
}

function digest(v: string): string {
  return createHash('sha256').update(v).digest('hex');
}

const EDGE_LEAD = /^[(\[<"'`\u2018\u201c]+/;
const EDGE_TRAIL = /[.,;!?)\]>"'`\u2019\u201d]+$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let sentenceStart = true;
  let i = 0;
  const push = (raw: string, start: number, end: number, quoted: boolean, trail = '') => {
    const lower = raw.toLowerCase();
    tokens.push({ text: raw, lower: lower.replace(/['\u2019]s$/, ''), index: tokens.length, start, end, quoted, secret: false, sentenceStart, trail });
    sentenceStart = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const close = OPEN_QUOTES[c];
    if (close && (i === 0 || /[\s(=:,]/.test(text[i - 1]!))) {
      const end = text.indexOf(close, i + 1);
      if (end > i + 1 && end - i < 200 && !text.slice(i + 1, end).includes('\n') && (end + 1 >= text.length || /[\s.,;:!?)]/.test(text[end + 1]!))) {
        push(text.slice(i + 1, end), i + 1, end, true, text[end + 1] === ',' ? ',' : '');
        i = end + 1;
        if (/[.!?]/.test(text[i] ?? '') && /\s|$/.test(text[i + 1] ?? '')) sentenceStart = true;
        continue;
      }
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]!)) j++;
    const raw = text.slice(i, j);
    const lead = EDGE_LEAD.exec(raw)?.[0].length ?? 0;
    let body = raw.slice(lead);
    const trail = EDGE_TRAIL.exec(body)?.[0] ?? '';
    // `10,000.` and `host.example.com.` lose the full stop; `./out/` keeps what it is.
    if (trail) body = body.slice(0, body.length - trail.length);
    if (body.length > 0) push(body, i + lead, i + lead + body.length, false, trail);
    if (/[.!?]/.test(trail)) sentenceStart = true;
    i = j;
  }
  return tokens;
}
