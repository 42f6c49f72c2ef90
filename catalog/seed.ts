import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RegistryLoadError } from '../protocol/errors/index.js';
import { decodeCompact, encodeCompact, type CompactRegistry } from './compact-registry.js';
import { dataFileUrl } from './data-file-url.js';
import { parseRegistry } from './parse-registry.js';

export const SEED_FILE = 'registry-seed.json';

/**
 * Derives the bundled seed from a registry document: identity, image and facets only, sorted, with
 * no timestamps of its own, so the same input always gives the same bytes (a test checks the
 * shipped file against a fresh run of this).
 */
export function buildSeed(registryText: string, location: string): string {
  const parsed = parseRegistry(registryText, location);
  const inputSha256 = createHash('sha256').update(registryText).digest('hex');
  return encodeCompact({ ...parsed, inputSha256 });
}

/** The seed shipped with the package: the offline fallback of last resort. */
export function loadSeed(): CompactRegistry {
  const url = dataFileUrl(SEED_FILE);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (err) {
    throw new RegistryLoadError('The bundled registry seed is missing from this installation', {
      context: { file: fileURLToPath(url) }, cause: err,
      hint: 'Reinstall airdock, or point AIRDOCK_REGISTRY at a registry file',
    });
  }
  return decodeCompact(text, 'bundled seed');
}
