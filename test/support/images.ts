/**
 * Image names and pinned versions for tests. The single source is `images/versions.env`, which the
 * shell side (images/build-images.sh, scripts/ci-setup.sh) sources as well; this module parses it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './repo-paths.js';

function readVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(resolve(repoRoot, 'images/versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

const v = readVersions();
const need = (key: string): string => {
  const value = v[key];
  if (!value) throw new Error(`images/versions.env has no ${key}`);
  return value;
};

export const FAKER_VERSION = need('FAKER_VERSION');
export const FAKER_IMAGE = `${need('FAKER_IMAGE_REPO')}:${FAKER_VERSION}`;
export const MISBEHAVE_IMAGE = need('MISBEHAVE_IMAGE');
export const BASE_DEBIAN_IMAGE = need('BASE_DEBIAN_IMAGE');
export const BASE_PYTHON_IMAGE = need('BASE_PYTHON_IMAGE');
export const BASE_NODE_IMAGE = need('BASE_NODE_IMAGE');
export const REGISTRY_ADDR = need('REGISTRY_ADDR');
/** The faker as pushed to the local registry by the CI setup, for pull tests. */
export const REGISTRY_FAKER_IMAGE = `${REGISTRY_ADDR}/${FAKER_IMAGE}`;
/** `airdock/<connector>:dev`, built (with `:<version>`) by `airdock images build`. */
export const nativeImage = (connector: string): string => `${need('NATIVE_IMAGE_REPO')}/${connector}:dev`;
