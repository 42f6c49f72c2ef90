/**
 * Masks secret values in text we show a user (log lines, error lines). Connectors do log their own
 * config sometimes, and a stack trace or a TRACE error message can carry a password: the platform masks
 * those, and so do we. Secrets are the string values of config keys that name a secret (the naming
 * covers every `airbyte_secret` field in the reference specs), plus any value given explicitly.
 */
const SECRET_KEY = /pass|secret|token|api_?key|private_?key|credential|ssh_key|jaas|sas_|shared_key|access_key|access_id|client_key|client_id|certificate|service_account|auth/i;
const MASK = '**********';
/** Shorter values ("a", "1") would mask unrelated text without protecting anything. */
const MIN_LENGTH = 4;

export class SecretRedactor {
  #secrets: string[] = [];

  /** Collects the secret values of a config (nested objects and arrays included). */
  addConfig(config: unknown): this {
    const visit = (node: unknown, secretKey: boolean) => {
      if (typeof node === 'string') {
        if (secretKey) this.add(node);
      } else if (Array.isArray(node)) {
        for (const item of node) visit(item, secretKey);
      } else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) visit(v, secretKey || SECRET_KEY.test(k));
      }
    };
    visit(config, false);
    return this;
  }

  add(value: string): this {
    if (value.length >= MIN_LENGTH && !this.#secrets.includes(value)) {
      this.#secrets.push(value);
      // Longest first, so a secret containing another is masked whole.
      this.#secrets.sort((a, b) => b.length - a.length);
    }
    return this;
  }

  redact = (text: string): string => {
    let out = text;
    for (const s of this.#secrets) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  };
}
