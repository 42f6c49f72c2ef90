/** The official source-postgres config (3.7.2), plus airdock's optional extras. */
export interface PostgresSourceConfig {
  host: string;
  port: number;
  database: string;
  username: string;
  password?: string;
  schemas?: string[];
  jdbc_url_params?: string;
  ssl_mode?: SslModeConfig;
  tunnel_method?: { tunnel_method: string };
  replication_method?: ReplicationMethodConfig;
  entra_service_principal_auth?: boolean;
  // airdock extras
  parallel_reads?: number;
  pool_size?: number;
  fetch_size?: number;
  read_replica?: { host?: string; port?: number };
  statement_timeout_ms?: number;
}

export interface SslModeConfig {
  mode: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  ca_certificate?: string;
  client_certificate?: string;
  client_key?: string;
  client_key_password?: string;
}

export type ReplicationMethodConfig =
  | { method: 'Standard' }
  | { method: 'Xmin' }
  | CdcMethodConfig;

export interface CdcMethodConfig {
  method: 'CDC';
  replication_slot: string;
  publication: string;
  plugin?: 'pgoutput';
  initial_waiting_seconds?: number;
  lsn_commit_behaviour?: 'While reading Data' | 'After loading Data in the destination';
  invalid_cdc_cursor_position_behavior?: 'Fail sync' | 'Re-sync data';
  queue_size?: number;
  initial_load_timeout_hours?: number;
  heartbeat_action_query?: string;
}

export type ReplicationMethod = 'Standard' | 'Xmin' | 'CDC';

/**
 * The method in use. The official spec defaults `replication_method` to CDC, but a config without it
 * has no slot or publication to read, so (like the official connector) it reads as Standard.
 */
export function replicationMethod(c: PostgresSourceConfig): ReplicationMethod {
  const m = c.replication_method?.method;
  return m === 'CDC' || m === 'Xmin' ? m : 'Standard';
}

export function cdcConfig(c: PostgresSourceConfig): CdcMethodConfig | undefined {
  return c.replication_method?.method === 'CDC' ? c.replication_method : undefined;
}

export function schemasOf(c: PostgresSourceConfig): string[] {
  return c.schemas && c.schemas.length > 0 ? c.schemas : ['public'];
}

export const parallelReads = (c: PostgresSourceConfig): number => Math.max(1, c.parallel_reads ?? 1);
