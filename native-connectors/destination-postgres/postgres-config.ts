import type { ClientConfig } from 'pg';
import { ConfigValidationError } from '../../protocol/index.js';

/** The official destination-postgres 3.0.11 config, plus our optional `batch_size`. */
export interface PostgresDestinationConfig {
  host: string;
  port: number;
  database: string;
  schema?: string;
  username: string;
  password?: string;
  ssl?: boolean;
  ssl_mode?: { mode: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full'; ca_certificate?: string; client_certificate?: string; client_key?: string; client_key_password?: string };
  jdbc_url_params?: string;
  raw_data_schema?: string;
  disable_type_dedupe?: boolean;
  drop_cascade?: boolean;
  unconstrained_number?: boolean;
  cdc_deletion_mode?: 'Hard delete' | 'Soft delete';
  tunnel_method?: { tunnel_method: string };
  batch_size?: number;
}

export interface ConnectAttempt { client: ClientConfig; tls: boolean }

/** What the destination does, derived once from the config. */
export interface PostgresOptions {
  schema: string;
  rawSchema: string;
  rawTablesOnly: boolean;
  dropCascade: boolean;
  hardDelete: boolean;
  batchSize: number;
  /** Connection settings to try in order (allow/prefer fall back between plain and TLS). */
  attempts: ConnectAttempt[];
  /** JDBC parameters that have no effect here, to mention in a WARN line. */
  ignoredParams: string[];
}

/**
 * JDBC URL parameters the native destination maps to node-postgres settings. The ones the official
 * connector overrides itself (user, password, ssl, sslmode, currentSchema) are ignored as there;
 * JDBC-only tuning knobs with no meaning here are ignored with a WARN; anything else is an error
 * naming the key, so a setting is never dropped silently.
 */
const MAPPED: Record<string, (c: ClientConfig, v: string) => void> = {
  connecttimeout: (c, v) => { c.connectionTimeoutMillis = seconds(v, 'connectTimeout') * 1000; },
  logintimeout: (c, v) => { c.connectionTimeoutMillis = seconds(v, 'loginTimeout') * 1000; },
  sockettimeout: (c, v) => { c.query_timeout = seconds(v, 'socketTimeout') * 1000 || undefined; },
  applicationname: (c, v) => { c.application_name = v; },
  options: (c, v) => { c.options = v; },
  tcpkeepalive: (c, v) => { c.keepAlive = v === 'true'; },
};
const OVERRIDDEN = new Set(['user', 'password', 'ssl', 'sslmode', 'currentschema']);
const NO_EFFECT = new Set(['prepatethreshold', 'preparethreshold', 'rewritebatchedinserts', 'defaultrowfetchsize', 'binarytransfer', 'stringtype', 'assumeminserverversion', 'loglevel', 'loggerlevel', 'sendbuffersize', 'receivebuffersize']);

function seconds(v: string, key: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new ConfigValidationError([{ path: '/jdbc_url_params', message: `${key} must be a number of seconds` }]);
  return n;
}

export function postgresOptions(config: PostgresDestinationConfig): PostgresOptions {
  const tunnel = config.tunnel_method?.tunnel_method;
  if (tunnel && tunnel !== 'NO_TUNNEL') {
    throw new ConfigValidationError([{ path: '/tunnel_method', message: `SSH tunnels (${tunnel}) are not supported yet by native:destination-postgres; use NO_TUNNEL, or the airbyte/destination-postgres image` }]);
  }
  const base: ClientConfig = {
    host: config.host, port: config.port, database: config.database, user: config.username, password: config.password ?? '',
    connectionTimeoutMillis: 60_000, application_name: 'airdock destination-postgres',
  };
  const ignoredParams: string[] = [];
  for (const pair of (config.jdbc_url_params ?? '').split('&').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1).trim());
    const k = key.toLowerCase();
    if (MAPPED[k]) MAPPED[k]!(base, value);
    else if (OVERRIDDEN.has(k) || NO_EFFECT.has(k)) ignoredParams.push(key);
    else throw new ConfigValidationError([{ path: '/jdbc_url_params', message: `the JDBC parameter ${key} is not supported by native:destination-postgres (supported: connectTimeout, loginTimeout, socketTimeout, ApplicationName, options, tcpKeepAlive)` }]);
  }
  return {
    schema: config.schema || 'public',
    rawSchema: config.raw_data_schema || 'airbyte_internal',
    rawTablesOnly: config.disable_type_dedupe === true,
    dropCascade: config.drop_cascade === true,
    hardDelete: config.cdc_deletion_mode !== 'Soft delete',
    batchSize: config.batch_size ?? 100_000,
    attempts: connectAttempts(config, base),
    ignoredParams,
  };
}

/** libpq's sslmode semantics on node-postgres, which has no fallback of its own. */
function connectAttempts(config: PostgresDestinationConfig, base: ClientConfig): ConnectAttempt[] {
  const mode = config.ssl_mode?.mode ?? (config.ssl === false ? 'disable' : config.ssl === true ? 'require' : 'disable');
  const plain = { client: { ...base, ssl: false }, tls: false };
  const tlsNoVerify = { client: { ...base, ssl: { rejectUnauthorized: false } }, tls: true };
  switch (mode) {
    case 'disable': return [plain];
    case 'allow': return [plain, tlsNoVerify];
    case 'prefer': return [tlsNoVerify, plain];
    case 'require': return [tlsNoVerify];
    case 'verify-ca':
    case 'verify-full': {
      const s = config.ssl_mode!;
      const ssl = {
        rejectUnauthorized: true,
        ca: s.ca_certificate,
        ...(s.client_certificate ? { cert: s.client_certificate } : {}),
        ...(s.client_key ? { key: s.client_key } : {}),
        ...(s.client_key_password ? { passphrase: s.client_key_password } : {}),
        // verify-ca checks the chain only; verify-full also the host name (node's default check).
        ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
      };
      return [{ client: { ...base, ssl }, tls: true }];
    }
  }
}
