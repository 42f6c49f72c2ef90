import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AcceptanceConfigError, type AirbyteRecordMessage } from '../../protocol/index.js';
import { loadDocument, type Env } from '../config/load-document.js';

/** Reads the files an acceptance config names, relative to its base path; `${VAR}` expanded in JSON/YAML. */
export class AcceptanceFiles {
  readonly #base: string;
  readonly #env: Env;
  readonly #cache = new Map<string, Promise<unknown>>();
  readonly #onConfig: ((config: object) => void) | undefined;

  /** `onConfig` sees every connector config read (a caller masks their secrets in what it prints). */
  constructor(basePath: string, env: Env, onConfig?: (config: object) => void) {
    this.#base = basePath;
    this.#env = env;
    this.#onConfig = onConfig;
  }

  path(p: string): string {
    return isAbsolute(p) ? p : resolve(this.#base, p);
  }

  exists(p: string): boolean {
    return existsSync(this.path(p));
  }

  /** A JSON or YAML document; a missing file is an error naming the key that points at it. */
  document(p: string, key: string): Promise<unknown> {
    const abs = this.path(p);
    let doc = this.#cache.get(abs);
    if (!doc) {
      doc = (async () => {
        if (!existsSync(abs)) throw new AcceptanceConfigError('A file the acceptance test config names does not exist', { context: { key, path: abs } });
        return loadDocument(abs, { env: this.#env });
      })();
      this.#cache.set(abs, doc);
    }
    return doc;
  }

  async object(p: string, key: string): Promise<Record<string, unknown>> {
    const v = await this.document(p, key);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new AcceptanceConfigError('The file must hold a JSON object', { context: { key, path: this.path(p) } });
    if (/config/.test(key)) this.#onConfig?.(v);
    return v as Record<string, unknown>;
  }

  /** expect_records: one record per line, as an AirbyteRecordMessage or a whole RECORD message. */
  async records(p: string, key: string): Promise<Pick<AirbyteRecordMessage, 'stream' | 'data'>[]> {
    const abs = this.path(p);
    if (!existsSync(abs)) throw new AcceptanceConfigError('A file the acceptance test config names does not exist', { context: { key, path: abs } });
    const out: Pick<AirbyteRecordMessage, 'stream' | 'data'>[] = [];
    (await readFile(abs, 'utf8')).split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let v: { stream?: unknown; data?: unknown; record?: { stream?: unknown; data?: unknown } };
      try { v = JSON.parse(line) as typeof v; } catch (err) { throw new AcceptanceConfigError('An expected records line is not JSON', { cause: err, context: { key, path: abs, line: i + 1 } }); }
      const r = v.record ?? v;
      if (typeof r.stream !== 'string' || r.data === null || typeof r.data !== 'object') throw new AcceptanceConfigError('An expected records line needs stream and data', { context: { key, path: abs, line: i + 1 } });
      out.push({ stream: r.stream, data: r.data as Record<string, unknown> });
    });
    return out;
  }
}
