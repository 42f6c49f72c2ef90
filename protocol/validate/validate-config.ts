import type { ErrorObject } from 'ajv';
import { createAjv } from './create-ajv.js';
import { toIssues, type ValidationIssue } from './validation-issue.js';

/** A config validator compiled ahead of time (ajv standalone code): what validateConfig needs of it. */
export type PrecompiledValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const compiled = new WeakMap<object, PrecompiledValidator>();
let ajv: ReturnType<typeof createAjv> | undefined;

/**
 * Validates a connector config against its spec's `connectionSpecification` and returns every
 * problem at once. Two things make this usable on real Airbyte specs:
 * - options are `oneOf` branches chosen by a discriminator (`const` or one-value `enum`): errors are
 *   reported for the branch the config chose, not for all of them;
 * - messages never contain config values (see toIssues), so `airbyte_secret` fields cannot leak.
 */
export function validateConfig(config: unknown, connectionSpecification: object, precompiled?: PrecompiledValidator): ValidationIssue[] {
  // `precompiled`: the same spec compiled ahead of time (ajv standalone code, see
  // scripts/gen-config-validators.ts); compiling a large spec cost up to 0.2 s of a connector's start.
  let fn = precompiled ?? compiled.get(connectionSpecification);
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

type PropSchema = { const?: unknown; enum?: unknown[] };

/** Fixed value of a property that pins a branch: `const`, or a one-value `enum` (both styles occur). */
export function fixedValue(s: PropSchema | undefined): { value: unknown } | undefined {
  if (!s || typeof s !== 'object') return undefined;
  if ('const' in s) return { value: s.const };
  if (Array.isArray(s.enum) && s.enum.length === 1) return { value: s.enum[0] };
  return undefined;
}

function branchProps(b: unknown): Record<string, PropSchema> {
  return ((b as { properties?: Record<string, PropSchema> }).properties ?? {});
}

/**
 * The discriminator is the property every branch pins to a fixed value (`method`, `mode`,
 * `tunnel_method`...). Other one-value enums inside a branch (e.g. `plugin: [pgoutput]`) are not.
 */
export function discriminatorKeys(branches: unknown[]): string[] {
  const [first] = branches;
  if (first === undefined) return [];
  return Object.keys(branchProps(first)).filter((k) => branches.every((b) => fixedValue(branchProps(b)[k]) !== undefined));
}

/** Index of the branch whose discriminator matches the data, or -1. */
function chooseBranch(branches: unknown[], data: unknown): number {
  if (typeof data !== 'object' || data === null) return -1;
  const record = data as Record<string, unknown>;
  const keys = discriminatorKeys(branches);
  if (keys.length === 0) return -1;
  return branches.findIndex((b) => keys.every((k) => record[k] === fixedValue(branchProps(b)[k])!.value));
}

function describeOptions(branches: unknown[]): string {
  const keys = discriminatorKeys(branches);
  return branches
    .map((b) => keys.length > 0
      ? keys.map((k) => `${k}=${JSON.stringify(fixedValue(branchProps(b)[k])!.value)}`).join(',')
      : ((b as { title?: string }).title ?? '?'))
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
