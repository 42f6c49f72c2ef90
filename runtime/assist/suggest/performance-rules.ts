import { discriminatorOf, fixedValue, type SpecNode } from '../spec-node.js';
import type { ConnectionFacts, FileChange, Suggestion } from './suggestion.js';

const NONE = /^(none|no compression|uncompressed|no_compression)$/i;
const PREFERRED = ['zstd', 'lz4', 'snappy', 'gzip', 'deflate'];

/**
 * A compression option left at "none" (an enum, or a oneOf of codecs) when the spec offers codecs:
 * Kafka `compression_type`, S3 Parquet `compression_codec`, S3 CSV/JSONL `compression`. Found by
 * walking the spec along the branches the config chose, so it works for any connector that has one.
 */
export function compression(c: ConnectionFacts): Suggestion[] {
  const out: Suggestion[] = [];
  const s = c.destination;
  if (!s.spec) return out;
  for (const hit of compressionFields(s.spec, s.config, ['destination', 'config'])) {
    const parquet = hit.path.includes('format') && /parquet/i.test(JSON.stringify(hit.parent ?? {}));
    out.push({
      id: 'performance.compression', category: 'performance', severity: 'info', side: 'destination', basis: 'spec',
      message: `${hit.path.slice(1).join('.')} is "${hit.current}": data is written uncompressed; ${hit.codec} usually cuts bytes written and network time several-fold for a little CPU`,
      change: { file: [hit.change] },
      // Parquet's codec is inside the file and every reader handles it; a gzip CSV or a zstd
      // Kafka topic changes what consumers must read, so that is a decision.
      safe: parquet,
    });
  }
  return out;
}

interface CompressionHit { path: (string | number)[]; current: string; codec: string; change: FileChange; parent?: unknown }

function compressionFields(node: SpecNode, config: Record<string, unknown>, path: (string | number)[]): CompressionHit[] {
  const out: CompressionHit[] = [];
  for (const [k, p] of Object.entries(node.properties ?? {})) {
    const value = config[k];
    const here = [...path, k];
    if (/compress/i.test(`${k} ${p.title ?? ''}`) && Array.isArray(p.enum)) {
      const current = String(value ?? p.default ?? '');
      const codec = PREFERRED.map((w) => p.enum!.find((e) => String(e).toLowerCase() === w)).find((e) => e !== undefined);
      if (NONE.test(current) && codec !== undefined) out.push({ path: here, current, codec: String(codec), change: { op: 'set', path: here, value: codec }, parent: config });
      continue;
    }
    if (p.oneOf && value && typeof value === 'object' && !Array.isArray(value)) {
      const disc = discriminatorOf(p.oneOf);
      const chosen = disc ? p.oneOf.find((b) => fixedValue(b.properties?.[disc])?.value === (value as Record<string, unknown>)[disc]) : undefined;
      if (/compress/i.test(`${k} ${p.title ?? ''}`) && disc) {
        const current = String((value as Record<string, unknown>)[disc] ?? '');
        const codecBranch = p.oneOf.find((b) => PREFERRED.includes(String(fixedValue(b.properties?.[disc])?.value ?? '').toLowerCase()));
        if (NONE.test(current) && codecBranch) {
          const codec = fixedValue(codecBranch.properties![disc])!.value;
          out.push({ path: here, current, codec: String(codec), change: { op: 'set', path: here, value: { [disc]: codec } } });
        }
        continue;
      }
      if (chosen) out.push(...compressionFields(chosen, value as Record<string, unknown>, here));
      continue;
    }
    if (p.oneOf && value === undefined && /compress/i.test(`${k} ${p.title ?? ''}`)) {
      const disc = discriminatorOf(p.oneOf);
      const codecBranch = disc ? p.oneOf.find((b) => PREFERRED.includes(String(fixedValue(b.properties?.[disc])?.value ?? '').toLowerCase())) : undefined;
      if (disc && codecBranch) {
        const codec = fixedValue(codecBranch.properties![disc])!.value;
        out.push({ path: here, current: 'none', codec: String(codec), change: { op: 'set', path: here, value: { [disc]: codec } } });
      }
    }
  }
  return out;
}

/** S3 files written without a date in their path: listing and pruning one day means reading them all. */
export function s3Partitioning(c: ConnectionFacts): Suggestion[] {
  const s = c.destination;
  const prop = s.spec?.properties?.s3_path_format;
  if (!prop || s.config.s3_path_format !== undefined) return [];
  const example = Array.isArray(prop.examples) ? String(prop.examples[0]) : '${NAMESPACE}/${STREAM_NAME}/${YEAR}_${MONTH}_${DAY}_${EPOCH}_';
  return [{
    id: 'performance.s3-partitioning', category: 'performance', severity: 'info', side: 'destination', basis: 'spec',
    message: 'objects are written without a date in their key: readers (Athena, Spark, DuckDB) cannot skip old days; write them under a date path',
    change: { file: [{ op: 'set', path: ['destination', 'config', 's3_path_format'], value: example }] },
    // New objects land under new keys: whoever reads the bucket must know.
    safe: false,
  }];
}

/**
 * source-faker re-emits every record with a new updated_at on each sync while `always_updated` is
 * on (its default): incremental syncs then copy everything every time.
 */
export function fakerAlwaysUpdated(c: ConnectionFacts): Suggestion[] {
  const s = c.source;
  const prop = s.spec?.properties?.always_updated;
  if (!prop || s.config.always_updated === false) return [];
  const incremental = c.streams ? c.streams.some((x) => x.sync_mode === 'incremental') : s.discovered?.streams.some((x) => x.supported_sync_modes.includes('incremental') && x.source_defined_cursor);
  if (!incremental) return [];
  const count = typeof s.config.count === 'number' ? s.config.count : Number(s.spec?.properties?.count?.default ?? 1000);
  return [{
    id: 'performance.always-updated', category: 'performance', severity: 'info', side: 'source', basis: s.discovered ? 'discover' : 'spec',
    message: `always_updated is ${s.config.always_updated === undefined ? 'on by default' : 'on'}: every incremental sync re-emits all ${count} users (and their purchases) with a new updated_at; turn it off to sync only new records after the first run`,
    change: { file: [{ op: 'set', path: ['source', 'config', 'always_updated'], value: false }] }, safe: false,
  }];
}

/** ClickHouse settings (native connector extras): many small inserts become one merge per batch. */
export function clickhouseAsyncInsert(c: ConnectionFacts): Suggestion[] {
  const s = c.destination;
  const prop = s.spec?.properties?.clickhouse_settings;
  if (!prop) return [];
  const settings = (s.config.clickhouse_settings ?? {}) as Record<string, unknown>;
  if (settings.async_insert !== undefined) return [];
  return [{
    id: 'performance.clickhouse-async-insert', category: 'performance', severity: 'info', side: 'destination', basis: 'spec',
    message: 'clickhouse_settings has no async_insert: frequent small syncs create many parts that ClickHouse must merge; let the server batch them (wait_for_async_insert keeps state acknowledgements exact)',
    change: { file: [{ op: 'set', path: ['destination', 'config', 'clickhouse_settings'], value: { ...settings, async_insert: 1, wait_for_async_insert: 1 } }] },
    safe: false,
  }];
}
