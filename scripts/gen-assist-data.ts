/**
 * Derives runtime/assist/data/breaking-changes.json from an official registry document:
 * `node --import tsx scripts/gen-assist-data.ts <registry.json>`. Only versions, deadlines, the
 * migration guide and the one-line message are kept; output is sorted so reruns give the same bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface Entry { dockerRepository: string; dockerImageTag: string; releases?: { breakingChanges?: Record<string, { message?: string; upgradeDeadline?: string; migrationDocumentationUrl?: string }> } }

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: gen-assist-data.ts <registry.json>');
const doc = JSON.parse(readFileSync(file, 'utf8')) as { sources: Entry[]; destinations: Entry[] };
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
writeFileSync(new URL('../runtime/assist/data/breaking-changes.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
