import { discriminatorKeys, fixedValue as protocolFixedValue } from '../../protocol/index.js';

/** The parts of a JSON schema node that Airbyte specs use and config drafting reads. */
export interface SpecNode {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, SpecNode>;
  required?: string[];
  oneOf?: SpecNode[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown;
  items?: SpecNode;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  order?: number;
  airbyte_secret?: boolean;
  airbyte_hidden?: boolean;
  always_show?: boolean;
}

/** The key every branch of a oneOf pins (`mode`, `method`, `tunnel_method`, `format_type`...). */
export function discriminatorOf(branches: readonly SpecNode[]): string | undefined {
  return discriminatorKeys([...branches])[0];
}

/** The value a branch pins its discriminator to: `const`, or a one-value `enum`. */
export function fixedValue(node: SpecNode | undefined): { value: unknown } | undefined {
  return protocolFixedValue(node);
}

/** Properties in the spec's display order (`order`, then as written). */
export function orderedProperties(node: SpecNode): Array<[string, SpecNode]> {
  const entries = Object.entries(node.properties ?? {});
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e[1].order ?? 1000 + a.i) - (b.e[1].order ?? 1000 + b.i))
    .map((x) => x.e);
}

export function typesOf(node: SpecNode): string[] {
  if (Array.isArray(node.type)) return node.type.filter((t) => t !== 'null');
  return node.type ? [node.type] : [];
}

/** A description without its HTML, first sentence only: what a question shows. */
export function plainText(s: string | undefined, firstSentence = false): string {
  if (!s) return '';
  const text = s.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  if (!firstSentence) return text;
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  return m ? m[1]! : text;
}

/** Words of a key or title, lower case: `replication_slot` → replication slot; `(Advanced)` dropped. */
export function labelWords(s: string): string[] {
  return s
    .replace(/\([^)]*\)/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A path into a config, printed the way users write it: `ssl_mode.mode`, `streams[0].name`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
}
