/**
 * True for a name the catalog resolves (`source-postgres`, `Postgres`, a definition id). Images
 * (`repo:tag`, `owner/repo`), paths (`./x`, `/x`) and `native:` / `file:` refs are the runtime's.
 */
export function isBareName(ref: string): boolean {
  const r = ref.trim();
  if (r === '' || r.includes(':') || r.includes('/') || r.includes('\\')) return false;
  return !r.startsWith('.') && !r.startsWith('~');
}
