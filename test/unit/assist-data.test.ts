import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBreakingChanges, DEFAULT_SNAPSHOT, OUTPUT } from '../../scripts/gen-assist-data.js';
import { repoRoot } from '../support/repo-paths.js';

describe('data shipped for config new and suggest', () => {
  it('ships the official specs unchanged', () => {
    const shipped = readFileSync(join(repoRoot, 'runtime/assist/data/connector-specs.json'));
    const reference = readFileSync(join(repoRoot, 'test/fixtures/reference/airbyte-registry-specs-subset.json'));
    expect(shipped.equals(reference)).toBe(true);
  });

  it('ships breaking-change data that a fresh run of the generator reproduces', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(buildBreakingChanges(readFileSync(DEFAULT_SNAPSHOT, 'utf8')));
  });
});
