import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSeed, loadSeed, SEED_FILE } from './index.js';
import { snapshotPath, snapshotText } from '../test/support/registry-fixtures.js';

const shipped = fileURLToPath(new URL(`./data/${SEED_FILE}`, import.meta.url));

describe('bundled registry seed', () => {
  it('is exactly what the generator makes from the snapshot (regenerate: npm run gen:catalog-seed)', () => {
    expect(buildSeed(snapshotText(), snapshotPath)).toBe(readFileSync(shipped, 'utf8'));
  });

  it('is compact (< 200 KB) and holds every connector', () => {
    expect(statSync(shipped).size).toBeLessThan(200 * 1024);
    const seed = loadSeed();
    expect(seed.entries.filter((e) => e.type === 'source')).toHaveLength(591);
    expect(seed.entries.filter((e) => e.type === 'destination')).toHaveLength(56);
    expect(seed.dataAsOf).toBe('2026-03-19T21:12:44.000Z');
  });

  it('keeps no prose: only identity, image and facet fields', () => {
    const text = readFileSync(shipped, 'utf8');
    expect(text).not.toMatch(/connectionSpecification|"description"|breakingChanges|ab_internal|sbomUrl/);
    const pg = loadSeed().entries.find((e) => e.technicalName === 'source-postgres')!;
    expect(pg).toEqual({
      definitionId: 'decd338e-5647-4c0b-adf4-da0e75f5a750', type: 'source', name: 'Postgres', technicalName: 'source-postgres',
      dockerRepository: 'airbyte/source-postgres', dockerImageTag: '3.7.2', supportLevel: 'certified',
      releaseStage: 'generally_available', language: 'java', license: 'ELv2',
      documentationUrl: expect.stringMatching(/^https:\/\/[^/]+\/integrations\/sources\/postgres$/), sourceType: 'database', tags: ['language:java'],
    });
  });
});
