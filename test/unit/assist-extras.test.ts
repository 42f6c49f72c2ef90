import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { airdockExtras, bundledSpec, officialSpec } from '../../runtime/assist/bundled-specs.js';
import { repoRoot } from '../support/repo-paths.js';

/**
 * airdock extras stand in for a native connector's spec until that connector exists. Once it does,
 * its own spec must declare every extra with the same type, or drafts would write options it
 * rejects.
 */
describe('airdock extras', () => {
  it('never replace an official property and agree with the native spec when there is one', () => {
    const extras = airdockExtras('source-postgres');
    expect(Object.keys(extras)).toEqual(expect.arrayContaining(['pool_size', 'parallel_reads', 'statement_timeout_ms']));
    const official = officialSpec('source-postgres')!.connectionSpecification as { properties: Record<string, unknown> };
    for (const k of Object.keys(extras)) expect(official.properties, k).not.toHaveProperty(k);
    const merged = bundledSpec('source-postgres')!.connectionSpecification as { properties: Record<string, { type?: string }> };
    expect(merged.properties.pool_size?.type).toBe('integer');
    const nativeSpec = join(repoRoot, 'native-connectors', 'source-postgres', 'spec.json');
    if (existsSync(nativeSpec)) {
      const native = JSON.parse(readFileSync(nativeSpec, 'utf8')) as { connectionSpecification: { properties: Record<string, { type?: string }> } };
      for (const [k, v] of Object.entries(extras)) expect(native.connectionSpecification.properties[k]?.type, `native source-postgres option ${k}`).toBe(v.type);
    }
  });
});
