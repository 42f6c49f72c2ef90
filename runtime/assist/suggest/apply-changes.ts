import { isMap, isSeq, parseDocument } from 'yaml';
import type { FileChange } from './suggestion.js';

/**
 * Applies file changes to a connection file's text with the `yaml` document API, so comments, key
 * order and flow/block style stay as the user wrote them; new mappings inside lists are written in
 * flow style (one stream per line), as the examples do.
 */
export function applyChanges(text: string, changes: readonly FileChange[]): string {
  const doc = parseDocument(text);
  for (const c of changes) {
    if (c.op === 'delete') {
      doc.deleteIn(c.path);
      continue;
    }
    const node = doc.createNode(c.value);
    compactListItems(node);
    // Keep the file's style: a flow mapping replaced or added to stays flow (`ssl_mode: { mode: x }`),
    // and a list of one-line mappings gets one more one-line mapping.
    const parent = doc.getIn(c.path.slice(0, -1), true);
    const existing = doc.getIn(c.path, true);
    if (isMap(node) && ((isMap(existing) && existing.flow) || (isMap(parent) && parent.flow) || (isSeq(parent) && parent.items.some((i) => isMap(i) && i.flow)))) node.flow = true;
    doc.setIn(c.path, node);
  }
  return doc.toString({ lineWidth: 0 });
}

function compactListItems(node: unknown): void {
  if (!isSeq(node)) return;
  for (const item of node.items) if (isMap(item)) item.flow = true;
}
