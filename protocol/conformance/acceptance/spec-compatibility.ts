import { findKeyword } from './schema-walk.js';

interface Field { types: string; required: boolean }

/**
 * What breaks configs written for `previous` (CAT's SpecDiffChecker, in short): a property removed,
 * its type changed or narrowed, a property newly required, an enum value removed.
 */
export function specCompatibility(previous: unknown, current: unknown): string[] {
  const before = fields(previous);
  const after = fields(current);
  const out: string[] = [];
  for (const [path, f] of before) {
    const now = after.get(path);
    if (!now) { out.push(`${path} was removed`); continue; }
    const lost = f.types.split('|').filter((t) => t !== '' && !now.types.split('|').includes(t));
    if (lost.length > 0) out.push(`${path} no longer accepts type ${lost.join(', ')}`);
    if (now.required && !f.required) out.push(`${path} became required`);
  }
  for (const [path, f] of after) if (!before.has(path) && f.required) out.push(`${path} was added as a required property`);
  const enums = (s: unknown) => new Map(findKeyword(s, 'enum').map((n) => [n.path.join('/'), new Set((n.value as unknown[]).map(String))]));
  const oldEnums = enums(previous);
  for (const [path, values] of enums(current)) {
    const removed = [...(oldEnums.get(path) ?? [])].filter((v) => !values.has(v));
    if (removed.length > 0) out.push(`/${path} no longer accepts ${removed.join(', ')}`);
  }
  return out;
}

function fields(schema: unknown): Map<string, Field> {
  const out = new Map<string, Field>();
  const walk = (node: unknown, path: string, parentRequired: readonly string[] | undefined, name: string | undefined) => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (name !== undefined) {
      const t = n.type;
      out.set(path, { types: (Array.isArray(t) ? t : t === undefined ? [] : [t]).map(String).sort().join('|'), required: parentRequired?.includes(name) ?? false });
    }
    const props = n.properties as Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(props ?? {})) walk(v, `${path}/${k}`, n.required as string[] | undefined, k);
    for (const key of ['oneOf', 'anyOf'] as const) {
      (n[key] as unknown[] | undefined)?.forEach((v, i) => walk(v, `${path}/${key}/${i}`, undefined, undefined));
    }
  };
  walk(schema, '', undefined, undefined);
  return out;
}
