import type { ConnectorEntry } from '../../catalog/entry.js';
import { imageRef } from '../../catalog/entry.js';
import { executorsOf, type ExecutorKind } from '../../catalog/executors.js';

/**
 * The stable `--json` shape of one connector (documented in docs/catalog.md). Every key is always
 * present (null when unknown) so scripts can index without guarding.
 */
export interface EntryJson {
  definitionId: string;
  type: 'source' | 'destination';
  name: string;
  technicalName: string;
  dockerRepository: string | null;
  dockerImageTag: string | null;
  image: string | null;
  supportLevel: string | null;
  releaseStage: string | null;
  language: string | null;
  license: string | null;
  documentationUrl: string | null;
  sourceType: string | null;
  tags: string[];
  tombstone: boolean;
  public: boolean;
  native: { name: string; replaces: string; configCompat: 'full' | 'subset'; notes: string } | null;
  /** `remoteRegistries.pypi.packageName` when the package is published on PyPI. */
  pypiPackage: string | null;
  manifestOnly: boolean;
  /** Every executor it can run on, in the order a bare name tries them. */
  executors: ExecutorKind[];
}

export function entryJson(e: ConnectorEntry): EntryJson {
  return {
    definitionId: e.definitionId,
    type: e.type,
    name: e.name,
    technicalName: e.technicalName,
    dockerRepository: e.hasImage ? e.dockerRepository : null,
    dockerImageTag: e.hasImage ? e.dockerImageTag : null,
    image: imageRef(e) ?? null,
    supportLevel: e.supportLevel ?? null,
    releaseStage: e.releaseStage ?? null,
    language: e.language ?? null,
    license: e.license ?? null,
    documentationUrl: e.documentationUrl ?? null,
    sourceType: e.sourceType ?? null,
    tags: [...e.tags],
    tombstone: e.tombstone === true,
    public: e.public !== false,
    native: e.native
      ? { name: e.native.name, replaces: e.native.replaces, configCompat: e.native.configCompat, notes: e.native.notes }
      : null,
    pypiPackage: e.pypiPackage ?? null,
    manifestOnly: e.manifestOnly === true,
    executors: executorsOf(e),
  };
}
