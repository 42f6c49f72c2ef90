import type { RegistrySource } from '../../catalog/registry-source.js';

/**
 * Where the catalog's data came from and how old it is, for the foot of `catalog list` and
 * `catalog search`: one short line, plus a `From:` line with the URL or path when there is one
 * (kept apart so the first line fits 80 columns whatever the location).
 */
export function describeSource(s: RegistrySource, now = Date.now()): string {
  const how = {
    network: 'fetched just now',
    cache: `cached copy, fetched ${ago(now - Date.parse(s.fetchedAt ?? ''))}${s.revalidated ? ' (confirmed current)' : s.stale ? ' (stale)' : ''}`,
    seed: 'bundled seed',
    file: 'local file',
  }[s.origin];
  const data = s.dataAsOf ? `; data as of ${s.dataAsOf.slice(0, 10)} (${ago(now - Date.parse(s.dataAsOf))})` : '';
  const from = s.origin === 'seed' ? '' : `\nFrom: ${s.location}`;
  return `Registry: ${how}${data}${from}`;
}

function ago(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return 'just now';
  const min = Math.round(ms / 60_000);
  if (min < 120) return `${min} min ago`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days old`;
}
