import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import type { AirbyteCatalog } from '../../../protocol/index.js';
import { bundledSpec } from '../bundled-specs.js';
import type { SpecNode } from '../spec-node.js';
import { applyChanges } from './apply-changes.js';
import { runRules } from './run-rules.js';
import type { ConnectionFacts, SideFacts } from './suggestion.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/assist/suggest/${name}`, import.meta.url), 'utf8');
const spec = (name: string) => bundledSpec(name)!.connectionSpecification as SpecNode;

function side(ref: string, technicalName: string, config: Record<string, unknown>, extra: Partial<SideFacts> = {}): SideFacts {
  return { ref, technicalName, config, spec: spec(technicalName), ...extra };
}

function billing(extra: { source?: Partial<SideFacts>; destination?: Partial<SideFacts> } = {}): ConnectionFacts {
  const doc = parse(fixture('postgres-to-s3.yaml')) as { name: string; source: { config: Record<string, unknown> }; destination: { config: Record<string, unknown> }; streams: ConnectionFacts['streams'] };
  return {
    name: doc.name,
    source: side('source-postgres', 'source-postgres', doc.source.config, extra.source),
    destination: side('airbyte/destination-s3:1.0.0', 'destination-s3', doc.destination.config, {
      image: { repository: 'airbyte/destination-s3', tag: '1.0.0' }, latestTag: '1.9.7', ...extra.destination,
    }),
    streams: doc.streams,
  };
}

const ids = (c: ConnectionFacts) => runRules(c).map((s) => s.id);

describe('suggestion rules', () => {
  it('find the problems of a connection file from the specs alone', () => {
    const s = runRules(billing());
    expect(s.map((x) => x.id)).toEqual([
      'security.secret-in-clear', 'correctness.cdc-publication', 'security.ssl-mode', 'monitoring.statement-timeout',
      'performance.compression', 'performance.s3-partitioning', 'monitoring.image-behind',
    ]);
    const secret = s.find((x) => x.id === 'security.secret-in-clear')!;
    expect(secret.change.file).toEqual([{ op: 'set', path: ['source', 'config', 'password'], value: '${POSTGRES_PASSWORD}' }]);
    expect(JSON.stringify(s)).not.toContain('hunter2-in-clear');
    expect(s.find((x) => x.id === 'security.ssl-mode')).toMatchObject({ severity: 'warning', safe: false, change: { file: [{ path: ['source', 'config', 'ssl_mode'], value: { mode: 'require' } }] } });
    expect(s.find((x) => x.id === 'performance.compression')).toMatchObject({ safe: true, change: { file: [{ path: ['destination', 'config', 'format', 'compression_codec'], value: 'ZSTD' }] } });
    expect(s.find((x) => x.id === 'correctness.cdc-publication')!.change.sql).toBe('CREATE PUBLICATION airbyte_publication FOR ALL TABLES;');
    // 1.0.0 → 1.9.7 has no breaking change in the registry (1.0.0 itself was the breaking one).
    expect(s.find((x) => x.id === 'monitoring.image-behind')).toMatchObject({ safe: true, change: { file: [{ path: ['destination', 'connector'], value: 'airbyte/destination-s3:1.9.7' }] } });
  });

  it('use what the services tell: SSL on, large tables with cursors, missing slot, no key for dedup', () => {
    const c = billing({
      source: {
        postgres: {
          ssl: true, statementTimeoutMs: 0, walLevel: 'logical', publications: ['other_pub'], slots: [],
          tables: [{ schema: 'public', name: 'invoices', rows: 5_000_000, bytes: 1e9, primaryKey: [], cursorCandidates: ['updated_at'] }],
        },
      },
    });
    const s = runRules(c);
    expect(s.find((x) => x.id === 'security.ssl-mode')).toMatchObject({ safe: true, basis: 'service' });
    expect(s.find((x) => x.id === 'correctness.cdc-slot')!.change.sql).toBe("SELECT pg_create_logical_replication_slot('airbyte_slot', 'pgoutput');");
    expect(s.find((x) => x.id === 'correctness.dedup-without-key')).toMatchObject({ severity: 'critical', change: { file: [{ path: ['streams', 0, 'destination_sync_mode'], value: 'append' }] } });
    expect(s.find((x) => x.id === 'performance.incremental')).toMatchObject({
      change: { file: [{ path: ['streams', 0], value: { name: 'invoices', namespace: 'public', sync_mode: 'incremental', destination_sync_mode: 'append', cursor_field: ['updated_at'] } }] },
    });
    expect(s.find((x) => x.id === 'performance.parallel-reads')!.change.file).toEqual([
      { op: 'set', path: ['source', 'config', 'parallel_reads'], value: 4 }, { op: 'set', path: ['source', 'config', 'pool_size'], value: 4 },
    ]);
  });

  it('warn about breaking changes between the pinned image and the registry, with the migration guide', () => {
    const breaking = [{ version: '4.0.0', migration: 'https://docs.airbyte.com/integrations/sources/faker-migrations#4.0.0' }, { version: '5.0.0' }, { version: '6.0.0' }, { version: '7.0.0' }];
    const c: ConnectionFacts = {
      name: 'x',
      source: side('airbyte/source-faker:3.0.0', 'source-faker', {}, { image: { repository: 'airbyte/source-faker', tag: '3.0.0' }, latestTag: '6.2.24', breaking }),
      destination: side('native:destination-duckdb', 'destination-duckdb', { destination_path: '/tmp/x.duckdb' }),
    };
    const s = runRules(c).filter((x) => x.category !== 'performance');
    expect(s.map((x) => [x.id, x.safe])).toEqual([['correctness.breaking-change', false], ['correctness.breaking-change', false], ['correctness.breaking-change', false]]);
    expect(s[0]!.message).toContain('4.0.0 is a breaking change between the pinned 3.0.0');
    expect(s[0]!.message).toContain('faker-migrations#4.0.0');
  });

  it('MySQL preferred SSL and a plaintext, uncompressed Kafka destination', () => {
    const doc = parse(fixture('mysql-to-kafka.yaml')) as { source: { config: Record<string, unknown> } };
    const c: ConnectionFacts = {
      name: 'orders-events',
      source: side('source-mysql', 'source-mysql', doc.source.config),
      destination: side('destination-kafka', 'destination-kafka', { bootstrap_servers: 'k:9092', topic_pattern: 't', protocol: { security_protocol: 'PLAINTEXT' }, compression_type: 'none' }),
    };
    const s = runRules(c);
    expect(s.find((x) => x.id === 'security.ssl-mode')!.change.file![0]!.value).toEqual({ mode: 'required' });
    expect(s.find((x) => x.id === 'security.kafka-plaintext')).toBeDefined();
    expect(s.find((x) => x.id === 'performance.compression')).toMatchObject({ safe: false, change: { file: [{ value: 'zstd' }] } });
    expect(ids(c)).not.toContain('security.secret-in-clear');
  });

  it('pin the streams discover gives when the file lists none (safe: the sync does the same today)', () => {
    const catalog: AirbyteCatalog = { streams: [
      { name: 'users', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'], source_defined_cursor: true, default_cursor_field: ['updated_at'], source_defined_primary_key: [['id']] },
      { name: 'logs', json_schema: {}, supported_sync_modes: ['full_refresh'] },
    ] };
    const c: ConnectionFacts = {
      name: 'q', source: side('native:source-faker', 'source-faker', { count: 10 }, { discovered: catalog }),
      destination: side('native:destination-duckdb', 'destination-duckdb', { destination_path: './out/q.duckdb' }),
    };
    const s = runRules(c);
    expect(s.map((x) => x.id)).toEqual(['performance.always-updated', 'correctness.pin-streams']);
    expect(s[1]).toMatchObject({ safe: true, change: { file: [{ path: ['streams'], value: [
      { name: 'users', sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['updated_at'], primary_key: [['id']] },
      { name: 'logs', sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
    ] }] } });
  });
});

describe('applyChanges', () => {
  it('keeps comments, order and flow style', () => {
    const text = fixture('postgres-to-s3.yaml');
    const out = applyChanges(text, [
      { op: 'set', path: ['destination', 'config', 'format', 'compression_codec'], value: 'ZSTD' },
      { op: 'set', path: ['source', 'config', 'ssl_mode'], value: { mode: 'require' } },
      { op: 'set', path: ['streams', 1], value: { name: 'payments', sync_mode: 'incremental' } },
    ]);
    for (const comment of ['# Nightly export of the billing database to the data lake.', '# native when available, else the official image', '# TODO move out of the file']) {
      expect(out).toContain(comment);
    }
    expect(out).toContain('ssl_mode: { mode: require }');
    expect(out).toContain('  - { name: payments, sync_mode: incremental }');
    const keys = Object.keys((parseDocument(out).toJS() as { source: { config: object } }).source.config);
    expect(keys).toEqual(['host', 'port', 'database', 'username', 'password', 'ssl_mode', 'replication_method']);
    expect((parse(out) as { destination: { config: { format: { compression_codec: string } } } }).destination.config.format.compression_codec).toBe('ZSTD');
  });
});
