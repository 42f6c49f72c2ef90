/** `b[start, end)` holds exactly the bytes of `other` (false when the range runs past `b`). */
export function sameBytes(b: Buffer, start: number, end: number, other: Buffer): boolean {
  if (end - start !== other.length) return false;
  for (let k = 0; k < other.length; k++) if (b[start + k] !== other[k]) return false;
  return true;
}
