import type { AirbyteStream } from '../../protocol/index.js';
import type { Relation } from './relations.js';
import type { ReplicationMethod } from './postgres-config.js';

/** The CDC metadata columns, named and typed as the official connector does. */
export const CDC_COLUMNS = {
  _ab_cdc_lsn: { type: 'number' },
  _ab_cdc_updated_at: { type: 'string' },
  _ab_cdc_deleted_at: { type: 'string' },
} as const;

/** Column types a Standard cursor may have (upstream's ALLOWED_CURSOR_TYPES). */
export const CURSOR_KINDS = new Set(['int', 'number', 'date', 'timestamp', 'timestamptz', 'time', 'timetz', 'string', 'char']);
const CURSOR_NAMES = /^(updated_at|_?updated|modified_at|last_modified|updated_on|modified|last_updated|updatedat|modifiedat)$/i;

/**
 * One AirbyteStream per relation: namespace = schema, name = table, JSON schema per column, primary key
 * as source_defined_primary_key, and the sync modes the method supports (official rules: CDC offers
 * incremental only for tables with a primary key that are in the publication; Xmin never for views).
 */
export function toAirbyteStream(r: Relation, method: ReplicationMethod, published: ReadonlySet<string>): AirbyteStream {
  const properties: Record<string, unknown> = {};
  for (const c of r.columns) properties[c.name] = c.schema;
  const stream: AirbyteStream = {
    name: r.name,
    namespace: r.schema,
    json_schema: { type: 'object', properties },
    supported_sync_modes: ['full_refresh', 'incremental'],
    source_defined_primary_key: r.primaryKey.length > 0 ? r.primaryKey.map((k) => [k]) : [],
    is_resumable: r.hasCtid,
  };
  if (method === 'CDC') {
    Object.assign(properties, CDC_COLUMNS);
    const incremental = r.primaryKey.length > 0 && published.has(`${r.schema}.${r.name}`);
    stream.supported_sync_modes = incremental ? ['full_refresh', 'incremental'] : ['full_refresh'];
    if (incremental) {
      stream.source_defined_cursor = true;
      stream.default_cursor_field = ['_ab_cdc_lsn'];
    }
  } else if (method === 'Xmin') {
    if (r.hasCtid) stream.source_defined_cursor = true;
    else stream.supported_sync_modes = ['full_refresh'];
  } else {
    // Not upstream: a likely cursor column, so `airdock sync` can default to incremental.
    const candidate = r.columns.find((c) => CURSOR_NAMES.test(c.name) && CURSOR_KINDS.has(c.type.kind) && c.type.element === undefined && c.type.kind !== 'string');
    if (candidate) stream.default_cursor_field = [candidate.name];
  }
  return stream;
}
