import type { ConnectorSpecification } from '../../protocol/index.js';
import official from './official-spec.json' with { type: 'json' };

/** airdock's optional extras; the official connector has no such keys, so they never clash. */
const extras = {
  parallel_reads: {
    type: 'integer', minimum: 1, maximum: 32, default: 1, order: 20, group: 'advanced',
    title: 'Parallel reads (airdock)',
    description: 'airdock extra: how many connections read one table at once during a full refresh or an initial snapshot (ctid ranges of one exported snapshot, so the result stays consistent).',
  },
  pool_size: {
    type: 'integer', minimum: 1, maximum: 64, order: 21, group: 'advanced',
    title: 'Connection pool size (airdock)',
    description: 'airdock extra: the most connections opened to the database; defaults to parallel_reads + 1.',
  },
  fetch_size: {
    type: 'integer', minimum: 1000, maximum: 10000000, default: 200000, order: 22, group: 'advanced',
    title: 'Rows per checkpoint (airdock)',
    description: 'airdock extra: about how many rows one resumable chunk holds; a STATE follows each completed stretch of chunks.',
  },
  read_replica: {
    type: 'object', order: 23, group: 'advanced', title: 'Read replica (airdock)',
    // No `required`: an optional object must not make config drafting ask for its fields.
    description: 'airdock extra: read table data from this standby instead of host/port (same database, user and password); ignored without a host. CDC always reads the replication slot on the primary.',
    properties: {
      host: { type: 'string', title: 'Replica host' },
      port: { type: 'integer', minimum: 0, maximum: 65536, default: 5432, title: 'Replica port' },
    },
  },
  statement_timeout_ms: {
    type: 'integer', minimum: 0, order: 24, group: 'advanced', title: 'Statement timeout in ms (airdock)',
    description: 'airdock extra: sets statement_timeout on every connection (0 = no limit, the server default).',
  },
};

const cs = official.connectionSpecification as { properties: Record<string, unknown> };

/** The official 3.7.2 spec, served unchanged apart from airdock's optional extras. */
export const spec = {
  ...official,
  connectionSpecification: { ...official.connectionSpecification, properties: { ...cs.properties, ...extras } },
} as unknown as ConnectorSpecification;

export const officialSpec = official as unknown as ConnectorSpecification;
