import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeOverlay, parseRegistry, Registry } from './index.js';
import { miniRegistry, rawSource, snapshotPath, snapshotText } from '../test/support/registry-fixtures.js';

let registry: Registry;
beforeAll(() => {
  const parsed = parseRegistry(snapshotText(), snapshotPath);
  registry = new Registry(parsed.entries, { source: { origin: 'file', location: snapshotPath }, natives: loadNativeOverlay() });
});

describe('Registry over the official snapshot', () => {
  it('indexes every connector: 591 sources and 56 destinations', () => {
    expect(registry.list({ type: 'source' })).toHaveLength(591);
    expect(registry.list({ type: 'destination' })).toHaveLength(56);
    expect(registry.list()).toHaveLength(647);
  });

  it.each([
    ['definition id', 'decd338e-5647-4c0b-adf4-da0e75f5a750'],
    ['definition id, upper case', 'DECD338E-5647-4C0B-ADF4-DA0E75F5A750'],
    ['docker repository', 'airbyte/source-postgres'],
    ['docker repository with a tag', 'airbyte/source-postgres:3.7.2'],
    ['technical name', 'source-postgres'],
    ['technical name, mixed case', 'Source-Postgres'],
    ['display name (the source wins over the destination of the same name)', 'postgres'],
  ])('finds source-postgres by %s', (_, key) => {
    const e = registry.get(key);
    expect(e?.technicalName).toBe('source-postgres');
    expect(e?.dockerImageTag).toBe('3.7.2');
    expect(e?.supportLevel).toBe('certified');
  });

  it('returns both connectors a shared display name names', () => {
    expect(registry.getAll('Postgres').map((e) => e.technicalName)).toEqual(['source-postgres', 'destination-postgres']);
  });

  it('keys third-party images by their own repository name', () => {
    expect(registry.get('farosai/airbyte-jenkins-source')?.type).toBe('source');
    expect(registry.get('ghcr.io/devmate-cloud/streamr-airbyte-connectors')?.name).toBe('Streamr');
  });

  it('returns nothing for an unknown key', () => {
    expect(registry.get('source-does-not-exist')).toBeUndefined();
  });

  it('filters by support level, language and type', () => {
    expect(registry.list({ support: 'certified' })).toHaveLength(78);
    expect(registry.list({ support: 'certified', type: 'source' })).toHaveLength(59);
    expect(registry.list({ language: 'manifest-only' })).toHaveLength(499);
    expect(registry.list({ language: 'java', type: 'destination' })).toHaveLength(30);
  });

  it('flags the native connectors and links each to the connector it replaces', () => {
    const natives = registry.list({ native: true }).map((e) => e.technicalName).sort();
    // Exactly the overlay's entries (helpers add connectors there; this follows the file).
    const overlay = JSON.parse(readFileSync(new URL('./data/native-overlay.json', import.meta.url), 'utf8')) as { name: string }[];
    expect(natives).toEqual(overlay.map((e) => e.name).sort());
    expect(natives).toEqual(expect.arrayContaining(['destination-dev-null', 'destination-duckdb', 'destination-local-json', 'source-faker']));
    const faker = registry.get('source-faker')!;
    expect(faker.native?.name).toBe('source-faker');
    expect(faker.native?.replaces).toBe(faker.dockerRepository);
    expect(faker.hasImage).toBe(true);
    // 647 registry connectors (591 sources, 56 destinations), each native one replacing one of them
    expect(registry.list({ native: false })).toHaveLength(647 - natives.length);
  });
});

describe('Registry visibility and overlay edge cases', () => {
  const parsed = parseRegistry(miniRegistry([
    rawSource('source-alive'),
    rawSource('source-gone', { tombstone: true }),
    rawSource('source-private', { public: false }),
  ]), 'mini');
  const reg = new Registry(parsed.entries, {
    source: { origin: 'file', location: 'mini' },
    natives: [{ name: 'source-homegrown', definitionId: 'ffffffff-0000-4000-8000-000000000001', replaces: 'airbyte/source-homegrown', configCompat: 'full', notes: 'n' }],
  });

  it('hides tombstoned and non-public entries unless all are asked for', () => {
    expect(reg.list().map((e) => e.technicalName)).toEqual(['source-alive', 'source-homegrown']);
    expect(reg.list({ all: true }).map((e) => e.technicalName)).toEqual(['source-alive', 'source-gone', 'source-homegrown', 'source-private']);
    expect(reg.search('gone')).toEqual([]);
    expect(reg.search('gone', { all: true }).map((h) => h.entry.technicalName)).toEqual(['source-gone']);
  });

  it('still lists a native connector that the registry does not know, without an image', () => {
    const e = reg.get('source-homegrown')!;
    expect(e.native?.name).toBe('source-homegrown');
    expect(e.hasImage).toBe(false);
  });
});
