/**
 * mulberry32: tiny, fast and good enough for fake data. Each record gets its own generator seeded
 * from (seed, id), so a resumed read produces exactly the records a full read would have.
 */
export class Prng {
  #s = 0;

  reset(seed: number, id: number): void {
    this.#s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(id + 1, 0xc2b2ae35)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

const DAY = 86_400_000;
const dayPrefix = new Map<number, string>();
const two = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * The reference connector's format (seconds precision, explicit +00:00). Date#toISOString per
 * record was a fifth of the generator's time, so day prefixes are cached and the clock is padded by table.
 */
export function airbyteTime(epochMs: number): string {
  const day = Math.floor(epochMs / DAY);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefix.set(day, prefix);
  }
  const s = Math.floor((epochMs - day * DAY) / 1000);
  return `${prefix}${two[Math.floor(s / 3600)]}:${two[Math.floor(s / 60) % 60]}:${two[s % 60]}+00:00`;
}
