/**
 * Masks the secrets of a run in everything airdock shows or writes about it (log lines, error lines,
 * JSON summaries, stdout documents, debug stacks). A connector logs its own config sometimes, and a
 * stack trace, a TRACE error or a check message can carry a password: the platform masks those, and so
 * do we. RECORD and STATE lines are data, passed through untouched by the callers.
 *
 * What is a secret: every value the connector's spec marks `airbyte_secret` (inside arrays, oneOf
 * branches and nested objects too), every string value under a key that names a secret (the naming
 * covers the `airbyte_secret` fields of the reference specs, for when the spec is not known), the
 * password of any URL in a config, and whatever is given explicitly.
 *
 * Each secret is masked in the forms it takes on its way out: raw, JSON-escaped (once and twice:
 * a log line inside a JSON document; ASCII-only as Python writes it), URL-encoded (component and form encoding, either hex case) and
 * base64 (standard and URL-safe, also when it sits inside a longer base64 blob such as a Basic auth
 * header, at any of the three byte alignments).
 */
const SECRET_KEY = /pass|secret|token|api_?key|private_?key|credential|ssh_key|jaas|sas_|shared_key|access_key|access_id|client_key|client_id|certificate|service_account|auth/i;
export const MASK = '**********';
/** Shorter values ("a", "1") would mask unrelated text without protecting anything. */
const MIN_LENGTH = 4;
/** A base64 fragment shorter than this would match unrelated base64 by chance. */
const MIN_BASE64_FRAGMENT = 8;

type Schema = Record<string, unknown>;

export class SecretRedactor {
  readonly #secrets = new Set<string>();
  #forms: string[] = [];

  /**
   * Collects the secrets of a config. With the connector's `connectionSpecification`, every field it
   * marks `airbyte_secret` counts, wherever it sits; without it, key names decide.
   */
  addConfig(config: unknown, connectionSpecification?: unknown): this {
    const root = isObject(connectionSpecification) ? connectionSpecification : undefined;
    const visit = (node: unknown, schemas: Schema[], secret: boolean) => {
      const expanded = root ? expand(schemas, root) : [];
      const marked = secret || expanded.some((s) => s.airbyte_secret === true);
      if (typeof node === 'string') {
        if (marked) this.add(node);
        else this.#addUrlPassword(node);
      } else if (typeof node === 'number' || typeof node === 'bigint') {
        if (marked) this.add(String(node));
      } else if (Array.isArray(node)) {
        node.forEach((item, i) => visit(item, expanded.flatMap((s) => itemSchemas(s, i)), marked));
      } else if (isObject(node)) {
        for (const [k, v] of Object.entries(node)) visit(v, expanded.flatMap((s) => propertySchemas(s, k)), marked || SECRET_KEY.test(k));
      }
    };
    visit(config, root ? [root] : [], false);
    return this;
  }

  /** One secret value, masked in every form it can take. */
  add(value: string): this {
    if (value.length < MIN_LENGTH || this.#secrets.has(value)) return this;
    this.#secrets.add(value);
    const forms = new Set(this.#forms);
    for (const f of formsOf(value)) if (f.length >= MIN_LENGTH) forms.add(f);
    // Longest first, so a secret containing another (or a form containing the raw value) is masked whole.
    this.#forms = [...forms].sort((a, b) => b.length - a.length);
    return this;
  }

  get size(): number {
    return this.#secrets.size;
  }

  redact = (text: string): string => {
    let out = text;
    for (const f of this.#forms) if (out.includes(f)) out = out.split(f).join(MASK);
    return out;
  };

  #addUrlPassword(value: string): void {
    if (!value.includes('://') || !value.includes('@')) return;
    try {
      const url = new URL(value);
      if (url.password) this.add(decodeURIComponent(url.password));
    } catch { /* not a URL */ }
  }
}

function formsOf(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const json2 = JSON.stringify(json).slice(1, -1);
  // Python's json.dumps escapes every non-ASCII character by default.
  const asciiJson = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const component = encodeURIComponent(value);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  const forms = [value, json, json2, asciiJson, JSON.stringify(asciiJson).slice(1, -1), component, lowerHex(component), form, lowerHex(form)];
  const bytes = Buffer.from(value, 'utf8');
  for (const b64 of base64Forms(bytes)) forms.push(b64, b64.replace(/\+/g, '-').replace(/\//g, '_'));
  return forms;
}

/**
 * The whole base64 of the value, plus, for each of the three positions it can start at inside a longer
 * blob, the run of base64 characters that depends on the value's bytes only.
 */
function base64Forms(bytes: Buffer): string[] {
  const out = [bytes.toString('base64').replace(/=+$/, '')];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const skip = k === 0 ? 0 : 3 - k; // value bytes that share a group with the k filler bytes
    const start = k === 0 ? 0 : 4;
    const fragment = encoded.slice(start, start + Math.floor((bytes.length - skip) / 3) * 4);
    if (fragment.length >= MIN_BASE64_FRAGMENT) out.push(fragment);
  }
  return out;
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema and every schema it stands for: local $refs, oneOf/anyOf/allOf branches, if/then/else. */
function expand(schemas: Schema[], root: Schema, depth = 0): Schema[] {
  const out: Schema[] = [];
  for (const s of schemas) {
    if (!isObject(s)) continue;
    out.push(s);
    if (depth > 20) continue;
    const more: Schema[] = [];
    if (typeof s.$ref === 'string') {
      const target = resolveRef(root, s.$ref);
      if (target) more.push(target);
    }
    for (const k of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(s[k])) more.push(...(s[k] as Schema[]));
    for (const k of ['if', 'then', 'else']) if (isObject(s[k])) more.push(s[k] as Schema);
    if (more.length > 0) out.push(...expand(more, root, depth + 1));
  }
  return out;
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return isObject(node) ? node : undefined;
}

function itemSchemas(s: Schema, i: number): Schema[] {
  if (Array.isArray(s.items)) return isObject(s.items[i]) ? [s.items[i] as Schema] : [];
  if (Array.isArray(s.prefixItems) && isObject(s.prefixItems[i])) return [s.prefixItems[i] as Schema];
  return isObject(s.items) ? [s.items] : [];
}

function propertySchemas(s: Schema, key: string): Schema[] {
  const out: Schema[] = [];
  if (isObject(s.properties) && isObject(s.properties[key])) out.push(s.properties[key] as Schema);
  if (isObject(s.patternProperties)) {
    for (const [pattern, sub] of Object.entries(s.patternProperties)) {
      try {
        if (isObject(sub) && new RegExp(pattern, 'u').test(key)) out.push(sub);
      } catch { /* an invalid pattern matches nothing */ }
    }
  }
  if (out.length === 0 && isObject(s.additionalProperties)) out.push(s.additionalProperties);
  return out;
}
