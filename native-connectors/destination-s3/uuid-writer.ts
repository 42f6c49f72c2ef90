import { randomFillSync } from 'node:crypto';

const HEX = Buffer.from('0123456789abcdef');
const POOL = 16 * 4096;

/**
 * Random (version 4) UUIDs written as their 36 ASCII characters straight into a buffer: the JSON
 * lines writer needs one per record, and randomUUID's string (then encoded into the line) cost more
 * than the rest of the record's Airbyte columns. Random bytes come from the same CSPRNG, 64 KiB at once.
 */
export class UuidWriter {
  readonly #pool = Buffer.allocUnsafe(POOL);
  #next = POOL;

  /** Writes one UUID at `pos`; returns the index after it. */
  write(out: Buffer, pos: number): number {
    if (this.#next === POOL) {
      randomFillSync(this.#pool);
      this.#next = 0;
    }
    const r = this.#pool;
    const k = this.#next;
    this.#next += 16;
    for (let i = 0; i < 16; i++) {
      let v = r[k + i]!;
      if (i === 6) v = (v & 0x0f) | 0x40; // version 4
      else if (i === 8) v = (v & 0x3f) | 0x80; // RFC 4122 variant
      if (i === 4 || i === 6 || i === 8 || i === 10) out[pos++] = 0x2d;
      out[pos++] = HEX[v >> 4]!;
      out[pos++] = HEX[v & 15]!;
    }
    return pos;
  }
}
