import type { ErrorObject, ValidateFunction } from 'ajv';
import type { KeyPath } from './yaml-locator.js';

/** A schema node with the annotations connection-schema.ts adds for users. */
export interface AnnotatedSchema {
  [keyword: string]: unknown;
  message?: string;
  missing?: string;
  unknownKey?: string;
  properties?: Record<string, AnnotatedSchema>;
  items?: AnnotatedSchema;
  then?: AnnotatedSchema;
  else?: AnnotatedSchema;
}

/**
 * The first problem ajv found, as a key path and the message the schema gives for it (see
 * connection-schema.ts). Never ajv's own text, which may quote the value: configs hold secrets.
 */
export function firstSchemaIssue(validate: ValidateFunction, root: AnnotatedSchema, value: unknown): { keyPath: KeyPath; message: string } | undefined {
  if (validate(value)) return undefined;
  const e = validate.errors![0]! as ErrorObject & { parentSchema?: AnnotatedSchema };
  let at = pointerPath(e.instancePath);
  if (e.keyword === 'additionalProperties') {
    return { keyPath: [...at, String(e.params.additionalProperty)], message: schemaAt(root, at)?.unknownKey ?? 'Unknown key' };
  }
  if (e.keyword === 'required') {
    const missing = String(e.params.missingProperty);
    const message = e.parentSchema?.properties?.[missing]?.missing ?? schemaAt(root, [...at, missing])?.missing ?? `${missing} is required`;
    // A missing top-level section is about the document; a missing nested key is about that key.
    return { keyPath: at.length === 0 ? [] : [...at, missing], message };
  }
  let message = e.parentSchema?.message;
  while (message === undefined && typeof at.at(-1) === 'number') {
    at = at.slice(0, -1);
    message = schemaAt(root, at)?.message;
  }
  return { keyPath: at, message: message ?? `${at.at(-1) ?? 'the document'} is not valid` };
}

/** The schema node that describes the value at `keyPath` (through properties, items, then/else). */
function schemaAt(root: AnnotatedSchema, keyPath: KeyPath): AnnotatedSchema | undefined {
  let node: AnnotatedSchema | undefined = root;
  for (const k of keyPath) {
    if (!node) return undefined;
    node = typeof k === 'number' ? node.items : node.properties?.[k] ?? node.then?.properties?.[k] ?? node.else?.properties?.[k];
  }
  return node;
}

/** `/streams/1/sync_mode` → `['streams', 1, 'sync_mode']`. */
function pointerPath(pointer: string): KeyPath {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => {
    const key = s.replaceAll('~1', '/').replaceAll('~0', '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}
