import type { ConnectionFacts, SideFacts, Suggestion } from './suggestion.js';

/** `1.10.2` vs `1.9.0` numerically; pre-release tails compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const d = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A pinned image behind the registry's version: upgrade within what the registry does not mark as
 * breaking (safe), and say which breaking versions lie beyond, with their migration guides.
 */
export function imageVersions(c: ConnectionFacts): Suggestion[] {
  return (['source', 'destination'] as const).flatMap((side) => versionsOf(side, c[side]));
}

function versionsOf(side: 'source' | 'destination', s: SideFacts): Suggestion[] {
  if (!s.image || !s.latestTag || !/^\d+(\.\d+)*$/.test(s.image.tag) || compareVersions(s.latestTag, s.image.tag) <= 0) return [];
  const pinned = s.image.tag;
  const between = (s.breaking ?? []).filter((b) => compareVersions(b.version, pinned) > 0 && compareVersions(b.version, s.latestTag!) <= 0);
  const out: Suggestion[] = [];
  const firstBreak = between[0];
  const safeTarget = firstBreak ? undefined : s.latestTag;
  const ref = (tag: string) => `${s.image!.repository}:${tag}`;
  if (safeTarget) {
    out.push({
      id: 'monitoring.image-behind', category: 'monitoring', severity: 'info', side, basis: 'catalog',
      message: `${s.image.repository} is pinned at ${pinned}; the registry has ${s.latestTag}, with no breaking change in between`,
      change: { file: [{ op: 'set', path: [side, 'connector'], value: ref(safeTarget) }] }, safe: true,
    });
  }
  for (const b of between) {
    out.push({
      id: 'correctness.breaking-change', category: 'correctness', severity: 'warning', side, basis: 'catalog',
      message: `${s.image.repository} ${b.version} is a breaking change between the pinned ${pinned} and the registry's ${s.latestTag}${b.deadline ? ` (upgrade deadline ${b.deadline})` : ''}${b.message ? `: ${b.message}` : ''}${b.migration ? ` Migration guide: ${b.migration}` : ''}`,
      change: { file: [{ op: 'set', path: [side, 'connector'], value: ref(s.latestTag) }] }, safe: false,
    });
  }
  return out;
}
