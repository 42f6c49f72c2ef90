import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCompact, encodeCompact, type CompactRegistry } from './compact-registry.js';

/**
 * The on-disk cache of one registry location, stored compacted (a few hundred KB instead of the
 * multi-MB registry with specs) so a warm `airdock catalog search` parses almost nothing.
 * One file per location, so switching AIRDOCK_REGISTRY never serves one registry's data for another.
 */
export class RegistryCache {
  readonly file: string;
  readonly #unreachableFile: string;

  constructor(home: string, location: string) {
    const key = createHash('sha256').update(location).digest('hex').slice(0, 16);
    this.file = join(home, 'cache', `registry-${key}.json`);
    this.#unreachableFile = join(home, 'cache', `registry-${key}.unreachable`);
  }

  /** The cached registry, or undefined when there is none or it cannot be read (then we refetch). */
  async read(): Promise<(CompactRegistry & { cache: NonNullable<CompactRegistry['cache']> }) | undefined> {
    try {
      const reg = decodeCompact(await readFile(this.file, 'utf8'), this.file);
      return reg.cache ? { ...reg, cache: reg.cache } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Written to a temp file and renamed, so a concurrent reader never sees half a cache. */
  async write(reg: CompactRegistry): Promise<void> {
    await mkdir(join(this.file, '..'), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(tmp, encodeCompact(reg));
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await rm(this.#unreachableFile, { force: true });
  }

  /**
   * Remembers a failed fetch, so that without a network every later command does not wait for the
   * timeout again. Best effort: a read-only home only costs the wait.
   */
  async markUnreachable(at: Date): Promise<void> {
    try {
      await mkdir(join(this.file, '..'), { recursive: true });
      await writeFile(this.#unreachableFile, at.toISOString());
    } catch {
      // ignored on purpose, see above
    }
  }

  async lastUnreachable(): Promise<number | undefined> {
    try {
      const t = Date.parse((await readFile(this.#unreachableFile, 'utf8')).trim());
      return Number.isFinite(t) ? t : undefined;
    } catch {
      return undefined;
    }
  }
}
