/** One occurrence of a keyword in a JSON schema: where it is, its value and the object holding it. */
export interface SchemaNode {
  /** Path of the keyword from the root, e.g. ['properties', 'credentials', 'oneOf', '0', 'properties', 'password', 'type']. */
  path: string[];
  value: unknown;
  parent: Record<string, unknown>;
}

/**
 * Every place `keyword` is used as a schema keyword (dpath's `**\/keyword`, as CAT searches), skipping
 * a property that merely has that name (`properties.type` is a field called "type", not a keyword).
 */
export function findKeyword(schema: unknown, keyword: string): SchemaNode[] {
  const out: SchemaNode[] = [];
  const walk = (node: unknown, path: string[], underProperties: boolean) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, String(i)], false));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(obj)) {
      if (key === keyword && !underProperties) out.push({ path: [...path, key], value, parent: obj });
      walk(value, [...path, key], key === 'properties' && !underProperties);
    }
  };
  walk(schema, [], false);
  return out;
}

/** The sub-schema at a field path (`['address', 'city']` → properties.address.properties.city). */
export function fieldSchema(schema: unknown, field: readonly string[]): Record<string, unknown> | undefined {
  let node = schema as Record<string, unknown> | undefined;
  for (const part of field) {
    const props = node?.properties as Record<string, unknown> | undefined;
    node = props?.[part] as Record<string, unknown> | undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** The value at a path in a record (undefined when absent). */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(k)];
  }
  return v;
}

export const pointer = (path: readonly string[]): string => `/${path.join('/')}`;
