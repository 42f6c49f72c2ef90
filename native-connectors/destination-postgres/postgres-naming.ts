/**
 * Identifiers as the official destination-postgres 3.x makes them (toPostgresCompatibleName in
 * db/PostgresFinalTableNameGenerator.kt): accents stripped (NFKD, combining marks dropped),
 * whitespace runs and every character outside [A-Za-z0-9_] become `_`, a leading digit gets a `_`
 * prefix, and a name longer than 63 characters becomes its first 54 characters, `_` and the last 8
 * characters of Java's String.hashCode() of the long name. Case is kept (identifiers are quoted).
 */
export function postgresName(name: string): string {
  let t = name.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[ \t\n\x0B\f\r]+/g, '_').replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(t)) t = `_${t}`;
  // An empty name cannot be a table or column; the official fallback is a random one, ours is stable.
  if (t === '') return 'default_name';
  if (t.length > 63) t = `${t.slice(0, 54)}_${String(javaHashCode(t)).slice(-8)}`;
  return t;
}

/** Java's String.hashCode: 31*h + c over UTF-16 code units, in 32-bit arithmetic. */
function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The official raw table name (TypingDedupingUtil.concatenateRawTableName): namespace, `_raw`, one
 * more underscore than the longest run in namespace + name (at least two), `stream_`, name.
 */
export function rawTableName(namespace: string, name: string): string {
  const runs = (namespace + name).match(/_+/g) ?? [];
  const longest = Math.max(1, ...runs.map((r) => r.length));
  return `${namespace}_raw${'_'.repeat(longest + 1)}stream_${name}`;
}
