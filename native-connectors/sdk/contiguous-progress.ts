/**
 * Tracks parts of an ordered whole (chunks of a table, files of a listing, ranges of a log) that
 * finish out of order, and says how far the whole is done without a gap: the position a resumable
 * checkpoint may claim. Parts are numbered 0..n-1.
 * @example
 * const p = new ContiguousProgress();
 * p.complete(1); // undefined: part 0 is still running
 * p.complete(0); // 1: parts 0 and 1 are done, checkpoint after part 1
 */
export class ContiguousProgress {
  readonly #done = new Set<number>();
  #next = 0;

  /** Marks a part done; returns the last part of the gap-free prefix when it grew, else undefined. */
  complete(part: number): number | undefined {
    if (part < this.#next) return undefined;
    this.#done.add(part);
    const before = this.#next;
    while (this.#done.delete(this.#next)) this.#next++;
    return this.#next > before ? this.#next - 1 : undefined;
  }

  /** How many parts from the start are done without a gap. */
  get doneCount(): number {
    return this.#next;
  }
}
