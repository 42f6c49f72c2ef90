import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeOverlay, parseRegistry, Registry } from './index.js';
import { snapshotPath, snapshotText } from '../test/support/registry-fixtures.js';

let registry: Registry;
beforeAll(() => {
  registry = new Registry(parseRegistry(snapshotText(), snapshotPath).entries, {
    source: { origin: 'file', location: snapshotPath }, natives: loadNativeOverlay(),
  });
});
const names = (q: string, o = {}) => registry.search(q, o).map((h) => h.entry.technicalName);

describe('catalog search ranking', () => {
  it('lists source-postgres first for "postgres", then destination-postgres', () => {
    expect(names('postgres').slice(0, 2)).toEqual(['source-postgres', 'destination-postgres']);
    expect(registry.search('postgres')[0]!.match).toBe('exact');
  });

  it('puts exact names before prefixes before word matches before substrings', () => {
    const sql = registry.search('sql');
    expect(sql[0]).toMatchObject({ match: 'prefix', entry: { technicalName: 'destination-sqlite' } });
    expect(sql.map((h) => h.match)).toContain('word'); // "Microsoft SQL Server (MSSQL)"
    const sheets = registry.search('sheets').map((h) => `${h.entry.technicalName}:${h.match}`);
    expect(sheets).toEqual(['source-google-sheets:word', 'destination-google-sheets:word', 'source-smartsheets:substring']);
    const s3 = registry.search('s3');
    expect(s3.slice(0, 2).map((h) => h.entry.technicalName)).toEqual(['source-s3', 'destination-s3']);
    expect(s3[2]!.match).not.toBe('exact');
  });

  it('orders the tiers exact > prefix > word > substring > fuzzy for every query', () => {
    const order = ['exact', 'prefix', 'word', 'substring', 'fuzzy'];
    for (const q of ['sql', 'mongo', 'google sheets', 'ads', 'stripe', 'face']) {
      const ranks = registry.search(q).map((h) => order.indexOf(h.match));
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    }
  });

  it('matches multiple words in any order', () => {
    expect(names('sheets google').slice(0, 2).sort()).toEqual(['destination-google-sheets', 'source-google-sheets']);
  });

  it.each([
    ['postgress', 'source-postgres'],
    ['postgers', 'source-postgres'],
    ['snowflak', 'source-snowflake'],
    ['hubspto', 'source-hubspot'],
    ['salesforse', 'source-salesforce'],
    ['googlesheets', 'source-google-sheets'],
  ])('forgives the typo in %s', (q, expected) => {
    expect(names(q)[0]).toBe(expected);
  });

  it('gives short words no typo budget, so noise stays out', () => {
    expect(names('zzz')).toEqual([]);
    expect(names('xqzv')).toEqual([]);
  });

  it('applies filters and the limit', () => {
    expect(names('postgres', { type: 'destination' })).toEqual(['destination-postgres']);
    expect(names('faker', { native: true })).toEqual(['source-faker']);
    expect(names('google', { support: 'certified' }).every((n) => registry.get(n)!.supportLevel === 'certified')).toBe(true);
    expect(names('google', { limit: 3 })).toHaveLength(3);
    expect(names('stripe', { language: 'java' })).toEqual([]);
  });
});
