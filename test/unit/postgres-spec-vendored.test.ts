import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spec } from '../../native-connectors/destination-postgres/spec.js';
import { referenceFixture, repoRoot } from '../support/repo-paths.js';

// native:destination-postgres vendors the official destination-postgres 3.0.11 spec unchanged, so
// every official config validates exactly as there; spec.ts adds one optional property of ours.
const subset = JSON.parse(readFileSync(referenceFixture('airbyte-registry-specs-subset.json'), 'utf8')) as {
  destinations: { dockerRepository: string; dockerImageTag: string; spec: { connectionSpecification: { properties: Record<string, unknown>; required: string[] } } }[];
};
const official = subset.destinations.find((e) => e.dockerRepository === 'airbyte/destination-postgres')!;

describe('vendored destination-postgres spec', () => {
  it('spec.json is the official 3.0.11 spec', () => {
    expect(official.dockerImageTag).toBe('3.0.11');
    expect(JSON.parse(readFileSync(`${repoRoot}/native-connectors/destination-postgres/spec.json`, 'utf8'))).toEqual(official.spec);
  });

  it('the served spec keeps every official property and requirement and only adds optional extras', () => {
    const served = spec.connectionSpecification as { properties: Record<string, unknown>; required: string[] };
    for (const [k, v] of Object.entries(official.spec.connectionSpecification.properties)) expect(served.properties[k]).toEqual(v);
    expect(served.required).toEqual(official.spec.connectionSpecification.required);
    expect(Object.keys(served.properties).filter((k) => !(k in official.spec.connectionSpecification.properties))).toEqual(['batch_size']);
  });
});
