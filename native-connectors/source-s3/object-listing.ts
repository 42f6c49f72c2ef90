import type { S3Client } from '@aws-sdk/client-s3';
import picomatch from 'picomatch';
import { listObjects } from '../sdk/s3/list-objects.js';

/** One object of a stream: `uri` is its key, as the official connector records it. */
export interface RemoteFile {
  uri: string;
  lastModified: Date;
  size: number;
}

const GLOB_CHARS = /[*?[\]{}!()]/;

/**
 * The prefixes worth listing for these globs: each glob's literal part up to its last `/` before
 * the first wildcard. An empty prefix means the whole bucket must be listed.
 */
export function prefixesOf(globs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const g of globs) {
    const first = g.search(GLOB_CHARS);
    const literal = first < 0 ? g : g.slice(0, first);
    const prefix = first < 0 ? literal : literal.slice(0, literal.lastIndexOf('/') + 1);
    if (prefix === '') return [''];
    out.add(prefix);
  }
  // a prefix covered by a shorter one would list the same keys twice
  const sorted = [...out].sort();
  return sorted.filter((p, i) => !sorted.slice(0, i).some((q) => p.startsWith(q)));
}

/** Matches keys the way the official connector does (wcmatch GLOBSTAR: `*` stops at `/`, `**` does not). */
export function globMatcher(globs: readonly string[]): (key: string) => boolean {
  const m = picomatch([...globs], { dot: false });
  return (key) => m(key);
}

/**
 * Every object under the globs (ListObjectsV2 pages of 1000), skipping "folder" keys and objects
 * older than `startDate`. `legacyPrefix`, when set, replaces the prefixes derived from the globs.
 */
export async function* listFiles(s3: S3Client, bucket: string, globs: readonly string[], o: { legacyPrefix?: string | undefined; startDate?: Date | undefined; signal?: AbortSignal } = {}): AsyncGenerator<RemoteFile> {
  const matches = globMatcher(globs);
  const seen = new Set<string>();
  for (const prefix of o.legacyPrefix ? [o.legacyPrefix] : prefixesOf(globs)) {
    for await (const obj of listObjects(s3, bucket, prefix, o.signal)) {
      const key = obj.Key!;
      if (key.endsWith('/') || seen.has(key) || !matches(key)) continue;
      const lastModified = obj.LastModified ?? new Date(0);
      if (o.startDate && lastModified < o.startDate) continue;
      seen.add(key);
      yield { uri: key, lastModified, size: obj.Size ?? 0 };
    }
  }
}
