/**
 * One connector as the catalog keeps it: the registry's identity, image and facets, and no prose.
 * This compact shape is what the bundled seed and the disk cache store, so a cold `airdock catalog`
 * never parses the multi-megabyte registry with its specs.
 */
export type ConnectorType = 'source' | 'destination';

export interface CatalogEntry {
  /** The registry's definition UUID (`sourceDefinitionId` / `destinationDefinitionId`): the stable key. */
  definitionId: string;
  type: ConnectorType;
  /** Display name, e.g. "Postgres". Not unique: sources and destinations share names. */
  name: string;
  /** Last path segment of the repository, e.g. `source-postgres`: what users type. */
  technicalName: string;
  dockerRepository: string;
  dockerImageTag: string;
  supportLevel?: string;
  releaseStage?: string;
  language?: string;
  license?: string;
  documentationUrl?: string;
  /** The registry's subtype: api, database, file, vectorstore, message_queue, custom. */
  sourceType?: string;
  tags: string[];
  /** The PyPI distribution (`remoteRegistries.pypi.packageName`) when the registry says it is published there. */
  pypiPackage?: string;
  /** A declarative YAML connector run by the CDK's `source-declarative-manifest` (language `manifest-only`). */
  manifestOnly?: boolean;
  /** Only stored when true: the official registry never tombstones, custom registries may. */
  tombstone?: boolean;
  /** Only stored when false, for the same reason. */
  public?: boolean;
}

/** A native (TypeScript) implementation that replaces an Airbyte connector image. */
export interface NativeConnector {
  /** The name the runtime launches: `dist/native-connectors/<name>/main.js`. */
  name: string;
  definitionId: string;
  /** The docker repository of the Airbyte connector it replaces. */
  replaces: string;
  /** `full`: accepts every config the image accepts; `subset`: a documented part of it. */
  configCompat: 'full' | 'subset';
  notes: string;
}

/** A catalog entry joined with its native implementation, when we have one. */
export interface ConnectorEntry extends CatalogEntry {
  native?: NativeConnector;
  /**
   * False for a native connector that no registry entry describes (nothing to pull): then
   * `dockerRepository`/`dockerImageTag` are empty.
   */
  hasImage: boolean;
}

/** `repository:tag`, the reference `docker pull` takes; undefined when there is no image. */
export function imageRef(e: ConnectorEntry): string | undefined {
  return e.hasImage ? `${e.dockerRepository}:${e.dockerImageTag}` : undefined;
}

/** Tombstoned and non-public entries are hidden unless the user asks for everything. */
export function isVisible(e: CatalogEntry): boolean {
  return e.tombstone !== true && e.public !== false;
}
