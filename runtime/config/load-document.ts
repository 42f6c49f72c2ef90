import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigFileError, MissingEnvVarError } from '../../protocol/index.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadDocumentOptions {
  /** Variables for `${VAR}` expansion. Without it no expansion happens. */
  env?: Env;
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\$\{/g;

/**
 * Reads a JSON or YAML file (YAML is a superset of JSON, so `.yaml`, `.yml` and anything that is not
 * `.json` go through the YAML parser) and expands `${VAR}` in every string value. Expansion happens
 * after parsing, so a secret containing quotes or newlines cannot break the document's syntax.
 */
export async function loadDocument(path: string, options: LoadDocumentOptions = {}): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigFileError(code === 'ENOENT' ? 'The file does not exist' : 'The file cannot be read', { cause: err, context: { path, reason: code } });
  }
  let value: unknown;
  try {
    value = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: false });
  } catch (err) {
    // The parser's message can quote the offending line, which may hold a secret: keep it only as cause.
    throw new ConfigFileError('The file is not valid JSON or YAML', { cause: err, context: { path } });
  }
  return options.env ? expandEnv(value, options.env) : value;
}

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string of a JSON value; `$${` escapes a literal
 * `${`. A variable that is not set and has no default is a MissingEnvVarError naming the variable.
 * A string that is exactly one `${VAR}` whose value is JSON-looking stays a string: types never change.
 */
export function expandEnv<T>(value: T, env: Env): T {
  if (typeof value === 'string') return expandString(value, env) as T;
  if (Array.isArray(value)) return value.map((v) => expandEnv(v, env)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandEnv(v, env);
    return out as T;
  }
  return value;
}

function expandString(s: string, env: Env): string {
  if (!s.includes('${')) return s;
  return s.replace(VAR, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    const v = env[name!];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    if (v !== undefined) return v;
    throw new MissingEnvVarError(name!);
  });
}
