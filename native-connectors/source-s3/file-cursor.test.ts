import { describe, expect, it } from 'vitest';
import { FileCursor, formatModified } from './file-cursor.js';
import { prefixesOf, globMatcher } from './object-listing.js';

const f = (uri: string, iso: string) => ({ uri, lastModified: new Date(iso), size: 1 });

describe('FileCursor (the file-based CDK cursor and state shape)', () => {
  it('formats times as %Y-%m-%dT%H:%M:%S.%fZ', () => {
    expect(formatModified(new Date('2024-05-06T07:08:09.120Z'))).toBe('2024-05-06T07:08:09.120000Z');
  });

  it('syncs new and modified files and reports the latest file as the cursor', () => {
    const c = new FileCursor({ history: { 'a.csv': '2024-01-01T00:00:00.000000Z' } });
    expect(c.shouldSync(f('a.csv', '2024-01-01T00:00:00Z'))).toBe(false);
    expect(c.shouldSync(f('a.csv', '2024-01-02T00:00:00Z'))).toBe(true);
    expect(c.shouldSync(f('b.csv', '2023-01-01T00:00:00Z'))).toBe(true);
    c.add(f('b.csv', '2024-03-01T00:00:00Z'));
    expect(c.state()).toEqual({
      history: { 'a.csv': '2024-01-01T00:00:00.000000Z', 'b.csv': '2024-03-01T00:00:00.000000Z' },
      _ab_source_file_last_modified: '2024-03-01T00:00:00.000000Z_b.csv',
    });
  });

  it('while files are still being read, the cursor stays at the earliest of them (files read in parallel finish out of order)', () => {
    const c = new FileCursor(undefined);
    const a = f('a.csv', '2024-01-01T00:00:00Z');
    const b = f('b.csv', '2024-01-02T00:00:00Z');
    c.setPending([a, b]);
    c.add(b);
    expect(c.state()).toEqual({ history: { 'b.csv': '2024-01-02T00:00:00.000000Z' }, _ab_source_file_last_modified: '2024-01-01T00:00:00.000000Z_a.csv' });
    c.add(a);
    expect(c.state()._ab_source_file_last_modified).toBe('2024-01-02T00:00:00.000000Z_b.csv');
  });

  it('keeps at most 10,000 files and then skips files older than the oldest one kept', () => {
    const history: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) history[`f${String(i).padStart(5, '0')}`] = '2024-01-02T00:00:00.000000Z';
    const c = new FileCursor({ history }, 3);
    expect(c.historyIsFull).toBe(true);
    expect(c.shouldSync(f('old', '2020-01-01T00:00:00Z'))).toBe(false);
    expect(c.shouldSync(f('new', '2024-01-03T00:00:00Z'))).toBe(true);
    c.add(f('new', '2024-01-03T00:00:00Z'));
    expect(Object.keys(c.state().history!)).toHaveLength(10_000);
  });
});

describe('globs', () => {
  it('lists only the literal prefixes of the globs', () => {
    expect(prefixesOf(['data/2024/*.csv', 'data/2024/x/**', 'logs/a.jsonl'])).toEqual(['data/2024/', 'logs/a.jsonl']);
    expect(prefixesOf(['**/*.csv', 'data/*'])).toEqual(['']);
  });

  it('matches as the official connector does: * stays within a folder, ** crosses folders', () => {
    const m = globMatcher(['data/*.csv', 'deep/**/*.jsonl']);
    expect(['data/a.csv', 'data/x/a.csv', 'deep/a.jsonl', 'deep/x/y/a.jsonl', 'deep/a.csv'].filter(m)).toEqual(['data/a.csv', 'deep/a.jsonl', 'deep/x/y/a.jsonl']);
  });
});
