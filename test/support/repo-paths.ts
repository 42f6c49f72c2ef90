import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The read-only reference material that sits beside the project (shared/). */
export const sharedDir = resolve(repoRoot, '../shared');
export const sharedReference = (name: string) => resolve(sharedDir, 'reference', name);
export const hasShared = existsSync(sharedDir);
export const cliPath = resolve(repoRoot, 'bin/airdock');
