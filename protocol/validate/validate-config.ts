import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from './create-ajv.js';
import { toIssues, type ValidationIssue } from './validation-issue.js';

const compiled = new WeakMap<object, ValidateFunction>();
let ajv: ReturnType<typeof createAjv> | undefined;

/**
 * Validates a connector config against its spec's `connectionSpecification` and returns every
 * problem at once. Two things make this usable on real Airbyte specs:
 * - options are `oneOf` branches chosen by a discriminator (`const` or one-value `enum`): errors are
 *   reported for the branch the config chose, not for all of them;
 * - messages never contain config values (see toIssues), so `airbyte_secret` fields cannot leak.
 */
export function validateConfig(config: unknown, connectionSpecification: object): ValidationIssue[] {
  let fn = compiled.get(connectionSpecification);
  if (!fn) {
    ajv ??= createAjv();
    const { $schema: _s, $id: _i, ...schema } = connectionSpecification as Record<string, unknown>;
    fn = ajv.compile(schema);
    compiled.set(connectionSpecification, fn);
  }
  if (fn(config)) return [];
  return toIssues(pickOneOfBranches(fn.errors ?? []));
}

function pickOneOfBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  let out = [...errors];
  for (const e of errors) {
    if (e.keyword !== 'oneOf' || !Array.isArray(e.schema)) continue;
    const branchPrefix = `${e.schemaPath}/`;
    const chosen = chooseBranch(e.schema as unknown[], e.data);
    out = out.filter((x) => x !== e && !(x.schemaPath.startsWith(branchPrefix) && !x.schemaPath.startsWith(`${branchPrefix}${chosen}/`)));
    if (chosen === -1) {
      out.push({ ...e, keyword: 'oneOf-none', message: `must match one of the options (${describeOptions(e.schema as unknown[])})` });
    }
  }
  return out;
}

/** Index of the branch whose discriminator property matches the data, or -1. */
function chooseBranch(branches: unknown[], data: unknown): number {
  if (typeof data !== 'object' || data === null) return -1;
  const record = data as Record<string, unknown>;
  return branches.findIndex((b) => {
    const props = (b as { properties?: Record<string, { const?: unknown; enum?: unknown[] }> }).properties ?? {};
    const discriminators = Object.entries(props).filter(([, s]) => s && ('const' in s || (Array.isArray(s.enum) && s.enum.length === 1)));
    return discriminators.length > 0 && discriminators.every(([k, s]) => record[k] === ('const' in s ? s.const : s.enum![0]));
  });
}

function describeOptions(branches: unknown[]): string {
  return branches
    .map((b) => {
      const s = b as { title?: string; properties?: Record<string, { const?: unknown; enum?: unknown[] }> };
      const d = Object.entries(s.properties ?? {}).find(([, p]) => p && ('const' in p || (Array.isArray(p.enum) && p.enum.length === 1)));
      return d ? `${d[0]}=${JSON.stringify('const' in d[1] ? d[1].const : d[1].enum![0])}` : (s.title ?? '?');
    })
    .join(' | ');
}

/** JSON pointers of every `airbyte_secret` field in a spec (for masking in logs and output). */
export function secretPaths(schema: unknown, base = ''): string[] {
  const out: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.airbyte_secret === true) out.push(path);
    if (n.properties && typeof n.properties === 'object') {
      for (const [k, v] of Object.entries(n.properties as Record<string, unknown>)) visit(v, `${path}/${k}`);
    }
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
      if (Array.isArray(n[key])) for (const b of n[key] as unknown[]) visit(b, path);
    }
    if (n.items) visit(n.items, `${path}/*`);
  };
  visit(schema, base);
  return [...new Set(out)];
}

/** A deep copy of `config` with every secret field replaced by `**********`. */
export function maskSecrets<T>(config: T, connectionSpecification: object): T {
  const copy = structuredClone(config);
  for (const pointer of secretPaths(connectionSpecification)) maskAt(copy, pointer.split('/').slice(1));
  return copy;
}

function maskAt(node: unknown, parts: string[]): void {
  if (!node || typeof node !== 'object' || parts.length === 0) return;
  const [head, ...rest] = parts as [string, ...string[]];
  if (head === '*' && Array.isArray(node)) {
    for (const item of node) rest.length === 0 ? undefined : maskAt(item, rest);
    return;
  }
  const obj = node as Record<string, unknown>;
  if (!(head in obj)) return;
  if (rest.length === 0) obj[head] = '**********';
  else maskAt(obj[head], rest);
}
