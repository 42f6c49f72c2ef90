import type { ConfiguredAirbyteCatalog } from '../../../protocol/index.js';
import { SourceConfigError } from '../../../protocol/index.js';
import type { Emitter, StateView } from '../../sdk/index.js';
import type { PostgresSourceConfig } from '../postgres-config.js';

export async function readCdc(_config: PostgresSourceConfig, _catalog: ConfiguredAirbyteCatalog, _state: StateView, _ctx: { emit: Emitter; signal: AbortSignal }): Promise<void> {
  throw new SourceConfigError('CDC reads are not available yet', { hint: 'Use replication_method Standard or Xmin' });
}
