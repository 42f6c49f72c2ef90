/** JSON with object keys sorted: two records with the same content give the same text (CAT's make_hashable). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  if (isLossless(value)) return Number(String(value));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/** A lossless-json number (STATE and CONTROL keep big numbers exact). */
export function isLossless(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { isLosslessNumber?: boolean }).isLosslessNumber === true;
}

/** Deep equality on JSON values, key order ignored. */
export const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);
