import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { ConfigValidationError } from '../../../protocol/index.js';
import { toServiceError } from './to-service-error.js';

export interface ClickHouseEndpoint {
  host: string;
  port: number | string;
  protocol: 'http' | 'https';
  username: string;
  password?: string;
  database: string;
  tunnel_method?: { tunnel_method?: string };
}

export interface OpenClickHouseOptions {
  /** Request and response compression: `gzip` (default), `br`, or `none`. */
  compression?: 'gzip' | 'br' | 'none';
  /** gzip level for request bodies (1 = fastest; the default, as compression is on for loopback too). */
  compressionLevel?: number;
  /** Settings sent with every query of this client. */
  settings?: ClickHouseSettings;
  requestTimeoutMs?: number;
  /** Shown in the server's query log (system.query_log.http_user_agent). */
  application: string;
}

export interface OpenedClickHouse extends AsyncDisposable {
  client: ClickHouseClient;
  url: string;
  close(): Promise<void>;
}

/**
 * A @clickhouse/client for a connector config (the official connectors' host/port/protocol fields).
 * Hosts written with a scheme (`https://host`) are accepted as the official connector does. SSH tunnels
 * are refused: the native connectors do not open them.
 */
export function openClickHouse(c: ClickHouseEndpoint, o: OpenClickHouseOptions): OpenedClickHouse {
  const tunnel = c.tunnel_method?.tunnel_method;
  if (tunnel && tunnel !== 'NO_TUNNEL') {
    throw new ConfigValidationError([{ path: '/tunnel_method', message: 'SSH tunnels are not supported by the native ClickHouse connectors; use the airbyte image, or reach the server directly' }]);
  }
  const url = endpointUrl(c);
  const codec = o.compression ?? 'gzip';
  const client = createClient({
    url,
    username: c.username || 'default',
    password: c.password ?? '',
    database: c.database || 'default',
    application: o.application,
    request_timeout: o.requestTimeoutMs ?? 300_000,
    max_open_connections: 4,
    // Failures reach the user once, as typed errors; the client's own log lines would repeat them on stderr.
    log: { level: ClickHouseLogLevel.OFF },
    compression: codec === 'none'
      ? { request: false, response: false }
      : { request: codec === 'gzip' ? { codec: 'gzip', level: o.compressionLevel ?? 1 } : { codec: 'br', quality: 1 }, response: { codec } },
    ...(o.settings ? { clickhouse_settings: o.settings } : {}),
  });
  const close = async () => { await client.close(); };
  return { client, url, close, [Symbol.asyncDispose]: close };
}

function endpointUrl(c: ClickHouseEndpoint): string {
  let host = String(c.host).trim();
  let protocol: string = c.protocol;
  const m = /^(https?):\/\/(.*)$/i.exec(host);
  if (m) { protocol = m[1]!.toLowerCase(); host = m[2]!; }
  host = host.replace(/\/+$/, '');
  if (!host || /[/?#@\s]/.test(host)) throw new ConfigValidationError([{ path: '/host', message: 'must be a host name or address, without a path' }]);
  const port = Number(c.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ConfigValidationError([{ path: '/port', message: 'must be a port number' }]);
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${protocol}://${bracketed}:${port}`;
}

/** Runs one statement, turning a failure into a typed airdock error. */
export async function chCommand(ch: OpenedClickHouse, query: string, o: { password?: string; doing: string; settings?: ClickHouseSettings; signal?: AbortSignal }): Promise<void> {
  try {
    await ch.client.command({ query, ...(o.settings ? { clickhouse_settings: o.settings } : {}), ...(o.signal ? { abort_signal: o.signal } : {}) });
  } catch (error) {
    throw toServiceError(error, o);
  }
}

/** Runs a query and returns its rows (small results only: metadata, counts). */
export async function chRows<T>(ch: OpenedClickHouse, query: string, o: { password?: string; doing: string; params?: Record<string, unknown>; signal?: AbortSignal }): Promise<T[]> {
  try {
    const rs = await ch.client.query({ query, format: 'JSONEachRow', ...(o.params ? { query_params: o.params } : {}), ...(o.signal ? { abort_signal: o.signal } : {}) });
    return await rs.json<T>();
  } catch (error) {
    throw toServiceError(error, o);
  }
}
