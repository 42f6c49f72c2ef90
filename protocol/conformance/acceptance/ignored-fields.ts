/** `ignored_fields` of one stream: paths like `address/city` or `steps/*\/started_at` (dpath globs, as CAT). */
export function withoutFields<T>(data: T, paths: readonly string[]): T {
  if (paths.length === 0) return data;
  const copy = structuredClone(data);
  for (const p of paths) remove(copy, p.split('/').filter((x) => x !== ''));
  return copy;
}

function remove(node: unknown, parts: string[]): void {
  if (node === null || typeof node !== 'object' || parts.length === 0) return;
  const [head, ...rest] = parts as [string, ...string[]];
  const obj = node as Record<string, unknown>;
  const keys = head === '*' || head === '**' ? Object.keys(obj) : [head];
  for (const k of keys) {
    if (!(k in obj)) continue;
    if (rest.length === 0) delete obj[k];
    else remove(obj[k], rest);
  }
}
