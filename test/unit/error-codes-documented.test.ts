import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo-paths.js';

describe('docs/errors.md', () => {
  it('lists every error code the code base defines', () => {
    const doc = readFileSync(`${repoRoot}/docs/errors.md`, 'utf8');
    const dir = `${repoRoot}/protocol/errors`;
    const codes = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .flatMap((f) => [...readFileSync(`${dir}/${f}`, 'utf8').matchAll(/readonly code = '([A-Z_]+)'/g)].map((m) => m[1]!));
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });
});
