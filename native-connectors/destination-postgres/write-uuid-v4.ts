import { randomFillSync } from 'node:crypto';

/** Random bytes for 1,024 ids, refilled from the CSPRNG when used up. */
const pool = Buffer.allocUnsafe(16 * 1024);
let used = pool.length;
/** The two lowercase hex characters of each byte value. */
const HEX2 = (() => {
  const hex = Buffer.from('0123456789abcdef', 'latin1');
  const t = new Uint8Array(512);
  for (let v = 0; v < 256; v++) { t[2 * v] = hex[v >> 4]!; t[2 * v + 1] = hex[v & 15]!; }
  return t;
})();
const DASH = 0x2d;

function hex(out: Buffer, p: number, v: number): void {
  out[p] = HEX2[2 * v]!;
  out[p + 1] = HEX2[2 * v + 1]!;
}

/**
 * Writes a random (version 4) UUID as its 36 lowercase hex characters into `out` at `at`; returns 36.
 * Same randomness as crypto.randomUUID, written straight into the COPY buffer: randomUUID's string
 * and its later UTF-8 encoding cost ~0.35 µs per row, about 5 % of the destination's CPU on 200 B rows.
 * Unrolled, two characters per table look-up: ~30-50 → ~25 ns per id.
 */
export function writeUuidV4(out: Buffer, at: number): number {
  if (used === pool.length) { randomFillSync(pool); used = 0; }
  const b = used;
  used += 16;
  const r = pool;
  hex(out, at, r[b]!); hex(out, at + 2, r[b + 1]!); hex(out, at + 4, r[b + 2]!); hex(out, at + 6, r[b + 3]!);
  out[at + 8] = DASH;
  hex(out, at + 9, r[b + 4]!); hex(out, at + 11, r[b + 5]!);
  out[at + 13] = DASH;
  hex(out, at + 14, (r[b + 6]! & 0x0f) | 0x40); // version 4
  hex(out, at + 16, r[b + 7]!);
  out[at + 18] = DASH;
  hex(out, at + 19, (r[b + 8]! & 0x3f) | 0x80); // RFC 4122 variant
  hex(out, at + 21, r[b + 9]!);
  out[at + 23] = DASH;
  for (let i = 10; i < 16; i++) hex(out, at + 4 + 2 * i, r[b + i]!);
  return 36;
}
