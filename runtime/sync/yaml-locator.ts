import { isMap, isSeq, type Document, type LineCounter } from 'yaml';

export type KeyPath = (string | number)[];

/** `streams[1].sync_mode`; `(document)` for the whole file. */
export function formatPath(keyPath: KeyPath): string {
  return keyPath.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '') || '(document)';
}

/** The 1-based line of the deepest node on the path that exists (the key's line for a missing key). */
export function locate(doc: Document, counter: LineCounter, keyPath: KeyPath): number | undefined {
  for (let n = keyPath.length; n >= 0; n--) {
    const sub = keyPath.slice(0, n);
    const parent = n === 0 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
    let range: [number, number, number] | null | undefined;
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === sub[n - 1]);
      range = (pair?.key as { range?: [number, number, number] } | null)?.range;
    } else if (n > 0 && isSeq(parent)) {
      range = (parent.items[sub[n - 1] as number] as { range?: [number, number, number] } | undefined)?.range;
    } else if (n === 0) {
      range = (doc.contents as { range?: [number, number, number] } | null)?.range;
    }
    if (range) return counter.linePos(range[0]).line;
  }
  return undefined;
}
