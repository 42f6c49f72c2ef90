import { randomUUID } from 'node:crypto';
import type { AirbyteRecordMessage, ConfiguredAirbyteStream } from '../../protocol/index.js';
import type { InputMessage } from '../sdk/index.js';

export interface MetaChange { field: string; change: string; reason: string }

/** The Airbyte columns of one record, in the official order: raw id, extracted at, meta, generation id. */
export interface AirbyteColumns {
  rawId: string;
  extractedAt: number;
  meta: { sync_id: number; changes: MetaChange[] };
  generationId: number;
}

/**
 * The Airbyte columns of an input RECORD. With the decoder's envelope, `emitted_at` and `meta` are read
 * from their byte ranges, so a record whose data is copied as is never gets parsed.
 */
export function airbyteColumns(m: InputMessage, s: ConfiguredAirbyteStream): AirbyteColumns {
  const env = m.record;
  let emittedAt: number;
  let meta: { changes?: MetaChange[] } | undefined;
  if (env) {
    emittedAt = Number(m.raw.toString('latin1', env.emittedAtRange[0], env.emittedAtRange[1]));
    if (env.metaRange) meta = JSON.parse(m.raw.toString('utf8', env.metaRange[0], env.metaRange[1])) as { changes?: MetaChange[] } | undefined;
  } else {
    const r = m.message.record as AirbyteRecordMessage & { meta?: { changes?: MetaChange[] } };
    emittedAt = r.emitted_at;
    meta = r.meta;
  }
  const changes = (meta?.changes ?? []).map((c) => ({ field: c.field, change: c.change, reason: c.reason }));
  return { rawId: randomUUID(), extractedAt: emittedAt, meta: { sync_id: s.sync_id ?? 0, changes }, generationId: s.generation_id ?? 0 };
}

/** The record's data as JSON text: the input's own bytes when the envelope locates them. */
export function dataJson(m: InputMessage): string {
  const env = m.record;
  return env ? m.raw.toString('utf8', env.dataRange[0], env.dataRange[1]) : JSON.stringify((m.message.record as AirbyteRecordMessage).data ?? {});
}

/** The record's data as an object (parsed once, lazily, by the SDK). */
export const dataOf = (m: InputMessage): Record<string, unknown> => ((m.message.record as AirbyteRecordMessage).data ?? {}) as Record<string, unknown>;

/** The top-level columns of a stream's schema, in schema order (root-level flattening writes these). */
export function schemaColumns(s: ConfiguredAirbyteStream): string[] {
  return Object.keys(((s.stream.json_schema ?? {}) as { properties?: Record<string, unknown> }).properties ?? {});
}
