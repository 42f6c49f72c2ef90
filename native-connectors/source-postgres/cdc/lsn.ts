/** PostgreSQL log sequence numbers: 64-bit, written `X/Y` (hex halves); kept as bigint, never a double. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) throw new Error(`not an LSN: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Microseconds since 2000-01-01 (PostgreSQL's epoch) → milliseconds since 1970. */
export function pgMicrosToMillis(us: bigint): number {
  return Number(us / 1000n) + 946_684_800_000;
}

export function nowPgMicros(): bigint {
  return BigInt(Date.now() - 946_684_800_000) * 1000n;
}

/** How Java's Instant.toString prints a millisecond instant (upstream's `_ab_cdc_updated_at`). */
export function instantString(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
