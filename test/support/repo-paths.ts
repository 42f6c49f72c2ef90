import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Official Airbyte files vendored unchanged for the tests (provenance: test/fixtures/README.md). */
export const referenceFixture = (name: string) => resolve(repoRoot, 'test/fixtures/reference', name);
export const cliPath = resolve(repoRoot, 'bin/airdock');
