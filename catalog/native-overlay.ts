import { readFileSync } from 'node:fs';
import { RegistryInvalidError } from '../protocol/errors/index.js';
import { dataFileUrl } from './data-file-url.js';
import type { NativeConnector } from './entry.js';

export const NATIVE_OVERLAY_FILE = 'native-overlay.json';

/**
 * Our native connectors, keyed by the Airbyte definition id of the connector each replaces. The
 * registry has no field for this, so it lives in a file we own and is joined at index time.
 */
export function loadNativeOverlay(): NativeConnector[] {
  const text = readFileSync(dataFileUrl(NATIVE_OVERLAY_FILE), 'utf8');
  return parseNativeOverlay(JSON.parse(text) as unknown);
}

export function parseNativeOverlay(doc: unknown): NativeConnector[] {
  if (!Array.isArray(doc)) throw bad('the document is not an array');
  return doc.map((raw: unknown, i) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    for (const k of ['name', 'definitionId', 'replaces', 'notes'] as const) {
      if (typeof r[k] !== 'string' || r[k] === '') throw bad(`[${i}].${k} is missing`);
    }
    if (r.configCompat !== 'full' && r.configCompat !== 'subset') throw bad(`[${i}].configCompat must be "full" or "subset"`);
    return {
      name: r.name as string,
      definitionId: (r.definitionId as string).toLowerCase(),
      replaces: r.replaces as string,
      configCompat: r.configCompat,
      notes: r.notes as string,
    };
  });
}

function bad(problem: string): RegistryInvalidError {
  return new RegistryInvalidError('The native connector overlay is malformed', {
    context: { location: NATIVE_OVERLAY_FILE, problem }, hint: 'Reinstall airdock; this file ships with the package',
  });
}
