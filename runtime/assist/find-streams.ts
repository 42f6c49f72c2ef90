import type { Token } from './description.js';
import { NOT_A_NAME, STOP_WORDS } from './text-view.js';

/** A stream setting of a connection file, as drafted from words. */
export interface DraftStream {
  name: string;
  sync_mode?: 'full_refresh' | 'incremental';
  destination_sync_mode?: 'append' | 'overwrite' | 'append_dedup';
  cursor_field?: string[];
  primary_key?: string[][];
}

const STREAM_NOUNS = new Set(['table', 'tables', 'stream', 'streams', 'collection', 'collections', 'view', 'views']);

/**
 * Tables or streams the description names ("the orders table", "tables orders and customers",
 * "the users and events streams") with the sync words said about them: incremental / full refresh,
 * dedup / overwrite / append, "on updated_at" (cursor), "keyed by id" (primary key). Applies the
 * modes to every named stream: a sentence rarely gives different modes per table.
 */
export function findStreams(tokens: readonly Token[], skip: ReadonlySet<number> = new Set()): DraftStream[] {
  const names: string[] = [];
  const ok = (t: Token | undefined) => t !== undefined && !t.secret && !skip.has(t.index) && (t.quoted || (/^[A-Za-z_][\w.$-]*$/.test(t.text)
    && !STOP_WORDS.has(t.lower) && !NOT_A_NAME.has(t.lower) && !['all', 'every', 'its', 'incremental', 'incrementally', 'full'].includes(t.lower)));
  const add = (t: Token) => { if (!names.includes(t.text)) names.push(t.text); };
  for (const t of tokens) {
    if (!STREAM_NOUNS.has(t.lower) || t.quoted) continue;
    const plural = t.lower.endsWith('s');
    // before: "the orders table", "the users and events tables", "orders, customers and items tables"
    const before: Token[] = [];
    for (let j = t.index - 1; j >= 0 && before.length < 6; j--) {
      const x = tokens[j]!;
      if (x.lower === 'and' || x.lower === ',') continue;
      if (!ok(x)) break;
      before.unshift(x);
      if (!plural) break;
      if (!tokens[j - 1]?.trail.includes(',') && tokens[j - 1]?.lower !== 'and') break;
    }
    if (before.length > 0 && !(before.length === 1 && ['the', 'our', 'a'].includes(before[0]!.lower))) {
      before.forEach(add);
      continue;
    }
    // after: "tables orders, customers and items", "the table 'orders'"
    for (let j = t.index + 1; j < tokens.length; j++) {
      const x = tokens[j]!;
      if (['and', 'named', 'called', ':'].includes(x.lower)) continue;
      if (!ok(x)) break;
      add(x);
      if (!plural || (!x.trail.includes(',') && tokens[j + 1]?.lower !== 'and')) break;
    }
  }
  if (names.length === 0) return [];
  const has = (...words: string[]) => tokens.some((t, i) => words.some((w) => w.split(' ').every((p, k) => tokens[i + k]?.lower === p)));
  const mode: Omit<DraftStream, 'name'> = {};
  if (has('incremental', 'incrementally', 'only new rows', 'only changes', 'new and updated')) mode.sync_mode = 'incremental';
  else if (has('full refresh', 'full-refresh', 'full copy', 'full reload', 'reload everything')) mode.sync_mode = 'full_refresh';
  if (has('dedup', 'deduplicate', 'deduplicated', 'deduped', 'upsert', 'upserts', 'without duplicates', 'no duplicates')) mode.destination_sync_mode = 'append_dedup';
  else if (has('overwrite', 'overwriting', 'replace', 'replacing', 'truncate')) mode.destination_sync_mode = 'overwrite';
  else if (has('append', 'appending', 'append-only')) mode.destination_sync_mode = 'append';
  const cursor = after(tokens, [['cursor'], ['cursor', 'field'], ['cursor', 'column'], ['on'], ['by']], (t) => /_(at|date|time|ts)$|^(updated|modified|created|timestamp|ts)/i.test(t.text));
  if (cursor) mode.cursor_field = [cursor];
  const pk = after(tokens, [['primary', 'key'], ['keyed', 'by'], ['key'], ['unique', 'by'], ['dedup', 'on'], ['deduplicated', 'on'], ['deduplicated', 'by']], (t) => /^[a-z_][\w]*$/i.test(t.text) && !STOP_WORDS.has(t.lower));
  if (pk) mode.primary_key = [[pk]];
  return names.map((name) => ({ name, ...mode }));
}

function after(tokens: readonly Token[], phrases: string[][], accept: (t: Token) => boolean): string | undefined {
  for (const p of phrases) {
    for (let i = 0; i < tokens.length; i++) {
      if (!p.every((w, k) => tokens[i + k]?.lower === w)) continue;
      let j = i + p.length;
      if (['the', 'column', 'field', 'is', ':'].includes(tokens[j]?.lower ?? '')) j++;
      const t = tokens[j];
      if (t && !t.secret && accept(t)) return t.text;
    }
  }
  return undefined;
}

/** "every hour", "hourly", "every 15 minutes", "daily", "nightly": a cron line to run the sync. */
export function findSchedule(tokens: readonly Token[]): { words: string; cron: string } | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!.lower;
    const next = tokens[i + 1]?.lower;
    const next2 = tokens[i + 2]?.lower;
    if (w === 'hourly' || (w === 'every' && next === 'hour')) return { words: 'every hour', cron: '0 * * * *' };
    if (w === 'daily' || w === 'nightly' || (w === 'every' && (next === 'day' || next === 'night')) || (w === 'once' && next === 'a' && next2 === 'day')) return { words: 'every day', cron: '0 2 * * *' };
    if (w === 'weekly' || (w === 'every' && next === 'week')) return { words: 'every week', cron: '0 2 * * 1' };
    if (w === 'every' && next && /^\d+$/.test(next) && next2 && /^min/.test(next2)) return { words: `every ${next} minutes`, cron: `*/${next} * * * *` };
    if (w === 'every' && next && /^\d+$/.test(next) && next2 && /^hour/.test(next2)) return { words: `every ${next} hours`, cron: `0 */${next} * * *` };
  }
  return undefined;
}
