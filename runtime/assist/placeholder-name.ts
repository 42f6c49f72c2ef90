/**
 * The environment variable a secret field becomes: `source-postgres` + `password` →
 * `POSTGRES_PASSWORD`; version suffixes go (`mongodb-v2` → `MONGODB`).
 */
export function placeholderName(technicalName: string, key: string): string {
  const system = technicalName.replace(/^(source|destination)-/, '').replace(/-v\d+$/, '');
  const prefix = system.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const field = key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return field.startsWith(`${prefix}_`) ? field : `${prefix}_${field}`;
}
