import type { AirbyteRecordMessage, ConfiguredAirbyteCatalog } from '../../generated/types.js';
import type { CommandRunner } from '../command-runner.js';
import { fail, ofType, skip, type ConformanceCheck } from '../conformance-check.js';
import { check, firstOf, plural } from './acceptance-check.js';
import { canonicalJson } from './canonical-json.js';
import { discoverCatalog } from './discovery-suite.js';
import { withoutFields } from './ignored-fields.js';
import { fullRefreshOnly, readCatalog } from './read-catalog.js';

export interface FullRefreshOptions {
  config: unknown;
  configuredCatalog?: ConfiguredAirbyteCatalog;
  /** Per stream, field paths that may change between reads (`a/b`, `items/*\/at`). */
  ignoredFields?: Readonly<Record<string, readonly string[]>>;
}

/** CAT's `test_sequential_reads`: two full refresh reads give the same records, and later emitted_at. */
export function fullRefreshSuite(run: CommandRunner, o: FullRefreshOptions): ConformanceCheck[] {
  return [check('test_sequential_reads', async () => {
    const c = fullRefreshOnly(readCatalog(await discoverCatalog(run, o.config), o.configuredCatalog));
    if (c.streams.length === 0) skip('no stream supports full_refresh');
    const read = async () => {
      const r = await run('read', { config: o.config, catalog: c });
      if (r.exitCode !== 0) fail('`read` must exit 0', r);
      return ofType(r, 'RECORD').map((m) => m.record);
    };
    const first = await read();
    if (first.length === 0) fail('the first read returned no record');
    const second = await read();
    const problems = c.streams.flatMap((s) => difference(s.stream.name, first, second, o.ignoredFields?.[s.stream.name] ?? []));
    if (problems.length > 0) fail(`two full refresh reads must return the same records (list changing fields in ignored_fields): ${firstOf(problems, 3)}`);
    const lastFirst = Math.max(...first.map((r) => r.emitted_at));
    if (second.length > 0 && Math.min(...second.map((r) => r.emitted_at)) < lastFirst) fail('emitted_at must increase from one read to the next');
  })];
}

function difference(stream: string, a: readonly AirbyteRecordMessage[], b: readonly AirbyteRecordMessage[], ignored: readonly string[]): string[] {
  const bag = (list: readonly AirbyteRecordMessage[]) => {
    const m = new Map<string, number>();
    for (const r of list) if (r.stream === stream) { const k = canonicalJson(withoutFields(r.data, ignored)); m.set(k, (m.get(k) ?? 0) + 1); }
    return m;
  };
  const x = bag(a);
  const y = bag(b);
  const onlyFirst = [...x].filter(([k, n]) => (y.get(k) ?? 0) < n).map(([k]) => k);
  const onlySecond = [...y].filter(([k, n]) => (x.get(k) ?? 0) < n).map(([k]) => k);
  if (onlyFirst.length === 0 && onlySecond.length === 0) return [];
  const clip = (s: string | undefined) => (s && s.length > 140 ? `${s.slice(0, 137)}...` : s);
  return [`stream ${stream}: ${plural(onlyFirst.length, 'record')} of the first read not in the second (e.g. ${clip(onlyFirst[0]) ?? '-'}), ${onlySecond.length} new (e.g. ${clip(onlySecond[0]) ?? '-'})`];
}
