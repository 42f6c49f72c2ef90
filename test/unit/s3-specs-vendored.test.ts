import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceFixture, repoRoot } from '../support/repo-paths.js';

// The S3 connectors' spec.json files are the official specs, unchanged (source-s3 4.15.2,
// destination-s3 1.9.7), so every official config validates exactly as it does there.
const subset = JSON.parse(readFileSync(referenceFixture('airbyte-registry-specs-subset.json'), 'utf8')) as {
  sources: { dockerRepository: string; dockerImageTag: string; spec: unknown }[];
  destinations: { dockerRepository: string; dockerImageTag: string; spec: unknown }[];
};

describe('vendored S3 specs', () => {
  it.each([
    ['source-s3', subset.sources, 'airbyte/source-s3', '4.15.2'],
    ['destination-s3', subset.destinations, 'airbyte/destination-s3', '1.9.7'],
  ] as const)('%s/spec.json is the official spec', (dir, entries, repo, tag) => {
    const official = entries.find((e) => e.dockerRepository === repo)!;
    expect(official.dockerImageTag).toBe(tag);
    expect(JSON.parse(readFileSync(`${repoRoot}/native-connectors/${dir}/spec.json`, 'utf8'))).toEqual(official.spec);
  });
});
