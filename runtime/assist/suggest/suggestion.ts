import type { AirbyteCatalog } from '../../../protocol/index.js';
import type { SpecNode } from '../spec-node.js';
import type { PostgresFacts } from './postgres-facts.js';

export type SuggestionCategory = 'performance' | 'security' | 'monitoring' | 'correctness';
export type Severity = 'info' | 'warning' | 'critical';

/** One edit of the connection file, by key path (`['source', 'config', 'ssl_mode', 'mode']`). */
export interface FileChange {
  op: 'set' | 'delete';
  path: (string | number)[];
  value?: unknown;
}

/**
 * The exact change a suggestion makes: edits of the connection file, and/or a statement to run on
 * the database (a publication to create) that no file edit can replace.
 */
export interface SuggestedChange {
  file?: FileChange[];
  sql?: string;
}

export interface Suggestion {
  /** Stable rule id, e.g. `security.ssl-mode`. */
  id: string;
  category: SuggestionCategory;
  severity: Severity;
  /** What and why, never a config value that could be a secret. */
  message: string;
  change: SuggestedChange;
  /** `--apply` writes it: it cannot break a sync that works today nor lose data. */
  safe: boolean;
  /** What it is based on: the spec, the catalog, discover, or a live look at the service. */
  basis: 'spec' | 'catalog' | 'discover' | 'service';
  side?: 'source' | 'destination';
}

/** One side of a connection as the rules see it. */
export interface SideFacts {
  /** The connector reference as written (`native:source-faker`, `airbyte/source-faker:6.2.1`, `source-postgres`). */
  ref: string;
  /** Technical name (`source-postgres`), when known. */
  technicalName?: string;
  /** The config as written in the file: `${VAR}` placeholders not expanded. */
  config: Record<string, unknown>;
  spec?: SpecNode;
  image?: { repository: string; tag: string };
  /** The catalog's newest version of that image. */
  latestTag?: string;
  /** Versions the registry marks as breaking, oldest first. */
  breaking?: Array<{ version: string; migration?: string; deadline?: string; message?: string }>;
  discovered?: AirbyteCatalog;
  postgres?: PostgresFacts;
}

export interface StreamSettingLike {
  name: string;
  namespace?: string;
  sync_mode?: string;
  destination_sync_mode?: string;
  cursor_field?: string[];
  primary_key?: string[][];
}

export interface ConnectionFacts {
  name: string;
  source: SideFacts;
  destination: SideFacts;
  /** The file's `streams:` as written, or undefined when absent. */
  streams?: StreamSettingLike[];
}

export type Rule = (c: ConnectionFacts) => Suggestion[];

/** A table of at least this many rows is "large" for the performance rules. */
export const LARGE_TABLE_ROWS = 1_000_000;
