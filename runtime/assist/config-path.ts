/** Reads, sets and deletes a value at a key path of a config object (the paths drafting works with). */
export function getAt(obj: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** Creates the objects on the way. */
export function setAt(obj: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]!] = value;
}

export function deleteAt(obj: Record<string, unknown>, path: readonly (string | number)[]): void {
  const parent = getAt(obj, path.slice(0, -1));
  if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[path[path.length - 1]!];
}
