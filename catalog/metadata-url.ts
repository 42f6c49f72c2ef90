import { DEFAULT_REGISTRY_URL } from './registry-url.js';

/**
 * Where the registry publishes each connector version's files (`<base>/<repository>/<version>/
 * manifest.yaml`, `components.py`, `metadata.yaml`): beside the registry document, so a mirror of
 * the registry (`.../registries/v0/oss_registry.json`) also serves the manifests. A registry file, or
 * a URL of another shape, uses the official location.
 */
export function metadataBaseUrl(registry: string | undefined): string {
  const m = registry ? /^(https?:\/\/.+)\/registries\/v0\/[^/]+$/i.exec(registry) : null;
  return m ? `${m[1]}/metadata` : DEFAULT_REGISTRY_URL.replace(/\/registries\/v0\/[^/]+$/, '/metadata');
}
