import type { AirbyteCatalog } from '../../generated/types.js';
import { specCompatibility } from './spec-compatibility.js';

/**
 * What breaks connections made with the previous catalog (CAT's CatalogDiffChecker, in short): a stream
 * removed, a field removed or retyped, a changed cursor or primary key.
 */
export function catalogCompatibility(previous: AirbyteCatalog, current: AirbyteCatalog): string[] {
  const now = new Map(current.streams.map((s) => [s.name, s]));
  const out: string[] = [];
  for (const before of previous.streams) {
    const after = now.get(before.name);
    if (!after) { out.push(`stream ${before.name} was removed`); continue; }
    out.push(...specCompatibility(before.json_schema, after.json_schema).filter((b) => !b.includes('required')).map((b) => `stream ${before.name}: ${b}`));
    if (JSON.stringify(before.default_cursor_field ?? []) !== JSON.stringify(after.default_cursor_field ?? [])) out.push(`stream ${before.name}: the default cursor changed`);
    if (JSON.stringify(before.source_defined_primary_key ?? []) !== JSON.stringify(after.source_defined_primary_key ?? [])) out.push(`stream ${before.name}: the primary key changed`);
  }
  return out;
}
