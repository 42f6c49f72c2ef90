/** Schema helpers of the file-based CDK: per-value types, merging across files, nullable columns. */
export type PropertySchema = { type: string | string[]; [k: string]: unknown };
export type Properties = Record<string, PropertySchema>;

const RANK: Record<string, number> = { null: 0, boolean: 1, integer: 2, number: 3, string: 4, object: 5 };

/** The JSON schema type name of a parsed JSON value. */
export function typeOfValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** Merges two inferred schemas, widening a column whose type differs (integer + number = number, anything + string = string). */
export function mergeProperties(a: Properties, b: Properties): Properties {
  const out: Properties = { ...a };
  for (const [k, t2] of Object.entries(b)) {
    const t1 = out[k];
    out[k] = t1 === undefined ? t2 : widen(t1, t2);
  }
  return out;
}

function widen(t1: PropertySchema, t2: PropertySchema): PropertySchema {
  if (JSON.stringify(t1) === JSON.stringify(t2)) return t1;
  const a = t1.type, b = t2.type;
  if (Array.isArray(a) || Array.isArray(b)) return { ...t1, type: [...new Set([...[a].flat(), ...[b].flat()])] };
  if (a === 'null') return t2;
  if (b === 'null') return t1;
  // arrays or objects that disagree: the official connector fails discovery; a string column keeps every value readable
  if (a === 'array' || b === 'array' || a === 'object' || b === 'object') return { type: 'string' };
  return (RANK[a] ?? 4) >= (RANK[b] ?? 4) ? t1 : t2;
}

/** Every column nullable (`["null", T]`), as the official discover reports them. */
export function fillNulls<T>(schema: T): T {
  if (Array.isArray(schema)) { for (const s of schema) fillNulls(s); return schema; }
  if (schema && typeof schema === 'object') {
    const o = schema as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'type') {
        if (Array.isArray(v)) { if (!v.includes('null')) o[k] = ['null', ...v]; }
        else if (typeof v === 'string' && v !== 'null') o[k] = ['null', v];
      } else fillNulls(v);
    }
  }
  return schema;
}

/** `input_schema`: a JSON mapping of column name to type name (`{"id": "integer"}`). */
export function parseInputSchema(text: string): Properties {
  const map = JSON.parse(text) as Record<string, unknown>;
  const alias: Record<string, string> = { float: 'number' };
  const allowed = new Set(['null', 'array', 'boolean', 'integer', 'number', 'object', 'string', 'float']);
  const out: Properties = {};
  for (const [name, type] of Object.entries(map)) {
    const t = String(type).trim().toLowerCase();
    if (!allowed.has(t)) throw new Error(`Invalid type '${String(type)}' for property '${name}'`);
    out[name.trim()] = { type: alias[t] ?? t };
  }
  return out;
}

/** Whether a record fits the schema: no unknown column, and each value no wider than its column's type. */
export function conformsToSchema(record: Record<string, unknown>, properties: Record<string, { type?: unknown }>): boolean {
  for (const [k, v] of Object.entries(record)) {
    const p = properties[k];
    if (!p) return false;
    if (v === null || v === undefined || p.type === undefined) continue;
    const allowed = [p.type].flat() as string[];
    const t = typeOfValue(v);
    const ok = allowed.some((a) => a === t || (a === 'number' && t === 'integer') || (a === 'string' && t !== 'object' && t !== 'array') || (a === 'object' && t === 'object') || (a === 'array' && t === 'array'));
    if (!ok) return false;
  }
  return true;
}
