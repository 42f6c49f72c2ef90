/**
 * `name` as PostgreSQL stores it: an identifier over 63 bytes (NAMEDATALEN - 1) is cut there, at a
 * character boundary (the server's truncate_identifier). Our names are ASCII after postgresName, so
 * this is a plain cut today; the boundary keeps it right if that ever changes. `max`: a shorter cut, at
 * a character boundary too.
 */
export function storedIdentifier(name: string, max = 63): string {
  const bytes = Buffer.from(name);
  if (bytes.length <= max) return name;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString();
}
