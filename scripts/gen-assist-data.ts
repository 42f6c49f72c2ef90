/**
 * Derives runtime/assist/data/breaking-changes.json from an official registry document (default:
 * the vendored snapshot in test/fixtures/reference/): `npm run gen:assist-data [registry.json]`.
 * Only versions, deadlines, the migration guide and a one-line message are kept; output is sorted
 * so reruns give the same bytes (a test compares the shipped file with a fresh run).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Change { message?: string; upgradeDeadline?: string; migrationDocumentationUrl?: string }
interface Entry { dockerRepository: string; releases?: { breakingChanges?: Record<string, Change> } }

export const DEFAULT_SNAPSHOT = fileURLToPath(new URL('../test/fixtures/reference/airbyte-registry-snapshot.json', import.meta.url));
export const OUTPUT = fileURLToPath(new URL('../runtime/assist/data/breaking-changes.json', import.meta.url));

export function buildBreakingChanges(registryText: string): string {
  const doc = JSON.parse(registryText) as { sources: Entry[]; destinations: Entry[] };
  const out: Record<string, Record<string, { deadline?: string; migration?: string; message?: string }>> = {};
  for (const e of [...doc.sources, ...doc.destinations].sort((a, b) => a.dockerRepository.localeCompare(b.dockerRepository))) {
    const changes = e.releases?.breakingChanges;
    if (!changes) continue;
    const versions: Record<string, { deadline?: string; migration?: string; message?: string }> = {};
    for (const v of Object.keys(changes).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
      const c = changes[v]!;
      versions[v] = {
        ...(c.upgradeDeadline ? { deadline: c.upgradeDeadline } : {}),
        ...(c.migrationDocumentationUrl ? { migration: c.migrationDocumentationUrl } : {}),
        ...(c.message ? { message: c.message.replace(/\s+/g, ' ').replace(/\*\*/g, '').trim().slice(0, 300) } : {}),
      };
    }
    out[e.dockerRepository] = versions;
  }
  return `${JSON.stringify(out, null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUTPUT, buildBreakingChanges(readFileSync(process.argv[2] ?? DEFAULT_SNAPSHOT, 'utf8')));
}
