import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSourceConformance } from '../../native-connectors/sdk/testing/index.js';
import { repoRoot } from '../support/repo-paths.js';
import { source } from '../fixtures/readme-source/source.js';

// The README's "Write your own connector" example must stay true: the fixture is the README's code,
// byte for byte, and it must pass the conformance kit the README tells users to run.
describe('README example connector', () => {
  it('is exactly the code shown in the README', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const file of ['source.ts', 'main.ts']) {
      expect(readme).toContain(readFileSync(join(repoRoot, 'test/fixtures/readme-source', file), 'utf8'));
    }
  });
});

describeSourceConformance('README example source', { kind: 'definition', definition: source }, { config: { pages: 5 } });
