/**
 * A plain value (a report, a JSON document) with the secrets masked in its string values only.
 * Masking the serialised text would also hit JSON keys and XML element names when a secret is a
 * common word (`test` in `testsuite`, `tests`), and the output would no longer parse; those are ours
 * and hold no secret.
 */
export function redactJsonValues(value: unknown, redact: (text: string) => string): unknown {
  // What JSON.stringify would print for it (a Date becomes its ISO text), not its own fields.
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON(): unknown }).toJSON();
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactJsonValues(v, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJsonValues(v, redact)]));
  }
  return value;
}
