import type { ClickHouseSettings } from '@clickhouse/client';
import { ConfigValidationError } from '../../protocol/index.js';

/** The official 2.x config, plus airdock's optional extras (see spec.json). */
export interface ClickHouseDestinationConfig {
  host: string;
  port: string;
  protocol: 'http' | 'https';
  database: string;
  username: string;
  password: string;
  enable_json?: boolean;
  record_window_size?: number;
  tunnel_method?: { tunnel_method?: string };
  compression?: 'gzip' | 'br' | 'none';
  batch_max_bytes?: number;
  insert_block_size?: number;
  max_insert_threads?: number;
  flush_interval_ms?: number;
  clickhouse_settings?: Record<string, string | number | boolean>;
}

export interface ResolvedDestinationConfig {
  config: ClickHouseDestinationConfig;
  database: string;
  enableJson: boolean;
  /** A batch (one INSERT) ends at this many rows or bytes, whichever comes first. */
  rowsPerInsert: number;
  bytesPerInsert: number;
  flushIntervalMs: number;
  /** Sent with every query. */
  settings: ClickHouseSettings;
  /** Sent with inserts, on top of `settings`. */
  insertSettings: ClickHouseSettings;
}

const DEFAULT_ROWS = 200_000;
const DEFAULT_BYTES = 32 * 1024 * 1024;
const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';

export function resolveConfig(config: ClickHouseDestinationConfig): ResolvedDestinationConfig {
  const settings: Record<string, string | number | boolean> = { ...(config.clickhouse_settings ?? {}) };
  if (truthy(settings.async_insert)) {
    // A STATE is echoed once its rows are acknowledged; an async insert is acknowledged before it is written.
    if (settings.wait_for_async_insert !== undefined && !truthy(settings.wait_for_async_insert)) {
      throw new ConfigValidationError([{ path: '/clickhouse_settings/wait_for_async_insert', message: 'must be 1 when async_insert is on: a STATE is acknowledged only after its rows are written' }]);
    }
    settings.wait_for_async_insert = 1;
  }
  const insertSettings: Record<string, number | string> = {};
  if (config.insert_block_size !== undefined) insertSettings.max_insert_block_size = config.insert_block_size;
  if (config.max_insert_threads !== undefined) insertSettings.max_insert_threads = config.max_insert_threads;
  // Timestamps are sent as ISO 8601 with a Z: exact whatever the server's time zone, but only read with this.
  insertSettings.date_time_input_format = 'best_effort';
  return {
    config,
    database: config.database || 'default',
    enableJson: config.enable_json === true,
    rowsPerInsert: config.record_window_size && config.record_window_size > 0 ? config.record_window_size : DEFAULT_ROWS,
    bytesPerInsert: config.batch_max_bytes ?? DEFAULT_BYTES,
    flushIntervalMs: config.flush_interval_ms ?? 1000,
    settings: settings as ClickHouseSettings,
    insertSettings: insertSettings as ClickHouseSettings,
  };
}
