import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import { configureCatalog, describeDestinationConformance, runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { TestKafka, kafkaEnv, nativeConnector, uniqueName } from '../support/kafka.js';

const destination = nativeConnector('destination-kafka');
let kafka: TestKafka;
const conformancePrefix = uniqueName('dconf');

beforeAll(async () => { kafka = await TestKafka.connect(); });
afterAll(async () => {
  for (const t of await kafka.admin.listTopics()) if (t.startsWith(conformancePrefix.replace(/-/g, '_'))) kafka.adopt(t);
  await kafka?.[Symbol.asyncDispose]();
});

/** A config as the official docs show it: every required field, numbers partly as strings. */
const config = (o: Record<string, unknown> = {}) => ({
  bootstrap_servers: kafkaEnv().broker, topic_pattern: '{stream}', protocol: { security_protocol: 'PLAINTEXT' },
  acks: '1', enable_idempotence: false, compression_type: 'none', batch_size: 16384, linger_ms: '0',
  max_in_flight_requests_per_connection: 5, client_dns_lookup: 'use_all_dns_ips', buffer_memory: '33554432',
  max_request_size: 1048576, retries: 5, socket_connection_setup_timeout_ms: '10000', socket_connection_setup_timeout_max_ms: '30000',
  max_block_ms: '60000', request_timeout_ms: 30000, delivery_timeout_ms: 120000, send_buffer_bytes: -1, receive_buffer_bytes: -1,
  ...o,
});

describeDestinationConformance('native:destination-kafka (process)', destination, { config: config({ topic_pattern: `${conformancePrefix}.{stream}` }) });

const tmp = () => mkdtempSync(join(tmpdir(), 'airdock-kafka-'));
const file = (dir: string, name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };
const stream = (name: string, namespace?: string) => ({
  stream: { name, ...(namespace ? { namespace } : {}), json_schema: { type: 'object', properties: { id: { type: 'integer' } } }, supported_sync_modes: ['full_refresh', 'incremental'] },
  sync_mode: 'incremental', destination_sync_mode: 'append',
});
const recordLine = (s: string, id: number, namespace?: string, extra = '') =>
  `{"type":"RECORD","record":{"stream":"${s}",${namespace ? `"namespace":"${namespace}",` : ''}"emitted_at":${1_700_000_000_000 + id},"data":{"id":${id}${extra}}}}`;
const stateLine = (s: string, n: number) => JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: s }, stream_state: { n } }, id: n } });

describe('native:destination-kafka writes', () => {
  it('the official message layout and topic names, the source bytes of data kept exactly', async () => {
    const prefix = uniqueName('layout');
    const catalog = { streams: [stream("users", "public"), stream("orders")] };
    const lines = [recordLine('users', 1, 'public', ',"big":12345678901234567890,"f":1.50'), recordLine('orders', 2), stateLine('orders', 1)];
    const r = await runTargetCommand(destination, 'write', { config: config({ topic_pattern: `${prefix}.{namespace}.{stream}` }), catalog, stdinLines: lines });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.messages.filter((m) => m.type === 'STATE')).toHaveLength(1);
    const base = prefix.replace(/-/g, '_');
    const users = await kafka.readAll(`${base}_public_users`);
    const orders = await kafka.readAll(`${base}__orders`);
    kafka.adopt(`${base}_public_users`); kafka.adopt(`${base}__orders`);
    expect(users).toHaveLength(1);
    expect(orders).toHaveLength(1);
    const value = users[0]!.value!;
    expect(value).toMatch(/^\{"_airbyte_ab_id":"[0-9a-f-]{36}","_airbyte_stream":"users","_airbyte_emitted_at":1700000000001,"_airbyte_data":\{"id":1,"big":12345678901234567890,"f":1.50\}\}$/);
    expect(JSON.parse(value)._airbyte_ab_id).toBe(users[0]!.key);
  });

  it('echoes a STATE only once the broker has every message before it', async () => {
    const prefix = uniqueName('barrier');
    const topic = prefix.replace(/-/g, '_');
    const dir = tmp();
    const child = spawn(process.execPath, [destination.argv[1]!, 'write', '--config', file(dir, 'c.json', config({ topic_pattern: prefix, acks: 'all', linger_ms: '200' })), '--catalog', file(dir, 'cat.json', { streams: [stream('s')] })], { stdio: ['pipe', 'pipe', 'inherit'] });
    const seen: number[] = [];
    let buffer = '';
    const checks: Promise<void>[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (line.includes('"type":"STATE"')) {
          const n = (JSON.parse(line).state.stream.stream_state as { n: number }).n;
          seen.push(n);
          // the moment the echo appears, the broker must already hold the n × 1000 records before it
          checks.push(kafka.highWatermarks(topic).then((hw) => { expect(Object.values(hw).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(n * 1000); }));
        }
      }
    });
    for (let n = 1; n <= 5; n++) {
      const batch: string[] = [];
      for (let i = 0; i < 1000; i++) batch.push(recordLine('s', (n - 1) * 1000 + i, undefined, `,"pad":"${'x'.repeat(100)}"`));
      batch.push(stateLine('s', n));
      child.stdin.write(`${batch.join('\n')}\n`);
      await new Promise((r) => setTimeout(r, 300));
    }
    child.stdin.end();
    expect(await new Promise((r) => child.on('close', r))).toBe(0);
    await Promise.all(checks);
    kafka.adopt(topic);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('a record larger than the topic allows fails the write as a config error, with no STATE after it', async () => {
    const prefix = uniqueName('toolarge');
    const lines = [recordLine('s', 1), stateLine('s', 1), recordLine('s', 2, undefined, `,"blob":"${'y'.repeat(1_200_000)}"`), stateLine('s', 2)];
    const r = await runTargetCommand(destination, 'write', { config: config({ topic_pattern: prefix, max_request_size: 5_242_880 }), catalog: { streams: [stream('s')] }, stdinLines: lines });
    kafka.adopt(prefix.replace(/-/g, '_'));
    expect(r.exitCode).toBe(1);
    const error = r.messages.find((m) => m.type === 'TRACE')?.trace?.error;
    expect(error).toMatchObject({ failure_type: 'config_error' });
    expect(error!.message).toContain('AIRDOCK_KAFKA_MESSAGE_TOO_LARGE');
    expect(r.messages.filter((m) => m.type === 'STATE').map((m) => (m.state!.stream!.stream_state as { n: number }).n)).not.toContain(2);
  });

  it('SASL_PLAINTEXT with SCRAM-SHA-256: check produces to test_topic; a wrong password fails without showing it', async () => {
    const jaas = (p: string) => `org.apache.kafka.common.security.scram.ScramLoginModule required username="${kafkaEnv().user}" password="${p}";`;
    const testTopic = uniqueName('dcheck');
    const cfg = (p: string) => config({ bootstrap_servers: kafkaEnv().saslBroker, test_topic: testTopic, protocol: { security_protocol: 'SASL_PLAINTEXT', sasl_mechanism: 'SCRAM-SHA-256', sasl_jaas_config: jaas(p) } });
    const good = await runTargetCommand(destination, 'check', { config: cfg(kafkaEnv().password) });
    expect(good.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus, good.stderr).toMatchObject({ status: 'SUCCEEDED' });
    const written = await kafka.readAll(testTopic.replace(/-/g, '_'));
    kafka.adopt(testTopic.replace(/-/g, '_'));
    expect(JSON.parse(written[0]!.value!)).toMatchObject({ _airbyte_stream: 'test-topic-stream', _airbyte_data: { 'test-key': 'test-value' } });
    const bad = await runTargetCommand(destination, 'check', { config: cfg('N0t-the-Pa55word') });
    expect(bad.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus).toMatchObject({ status: 'FAILED' });
    expect(bad.rawLines.join('\n') + bad.stderr).not.toContain('N0t-the-Pa55word');
  });
});

// ---------------------------------------------------------------- faker → Kafka → DuckDB
const faker = nativeConnector('source-faker');
const source = nativeConnector('source-kafka');
const duckdb = nativeConnector('destination-duckdb');

/** `a | b` as two processes; returns b's stdout lines. `cut` ends a's output early (and kills a) at the first line it matches. */
async function pipe(a: { argv: readonly string[] }, aArgs: string[], b: { argv: readonly string[] }, bArgs: string[], cut?: (line: string) => boolean): Promise<{ code: number; lines: string[] }> {
  const src = spawn(a.argv[0]!, [...a.argv.slice(1), ...aArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const dst = spawn(b.argv[0]!, [...b.argv.slice(1), ...bArgs], { stdio: ['pipe', 'pipe', 'inherit'] });
  let pending = '';
  src.stdout.setEncoding('utf8').on('data', (d: string) => {
    if (!cut) { dst.stdin.write(d); return; }
    pending += d;
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      const line = pending.slice(0, i + 1);
      pending = pending.slice(i + 1);
      if (cut(line)) { src.kill('SIGKILL'); src.stdout.destroy(); dst.stdin.end(); return; }
      dst.stdin.write(line);
    }
  });
  src.stdout.on('end', () => dst.stdin.end());
  let out = '';
  dst.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const code = await new Promise<number>((r) => dst.once('close', (c) => r(c ?? 1)));
  await new Promise((r) => (src.exitCode !== null || src.signalCode !== null ? r(null) : src.once('close', r)));
  return { code, lines: out.split('\n').filter(Boolean) };
}

async function query(path: string, sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try { return (await conn.runAndReadAll(sql)).getRows() as unknown[][]; } finally { conn.closeSync(); inst.closeSync(); }
}

/** The topic streams, with the official message layout as their schema (so DuckDB gets typed columns). */
function layoutCatalog(topics: string[], mode: 'append' | 'append_dedup'): ConfiguredAirbyteCatalog {
  return {
    streams: topics.map((name) => ({
      stream: { name, json_schema: { type: 'object', properties: { _airbyte_ab_id: { type: 'string' }, _airbyte_stream: { type: 'string' }, _airbyte_emitted_at: { type: 'integer' }, _airbyte_data: { type: 'object' } } }, supported_sync_modes: ['full_refresh', 'incremental'], source_defined_cursor: true },
      sync_mode: 'incremental', destination_sync_mode: mode, ...(mode === 'append_dedup' ? { primary_key: [['_airbyte_ab_id']] } : {}),
    })),
  } as ConfiguredAirbyteCatalog;
}

describe('faker → Kafka → DuckDB', () => {
  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('round trip with compression_type %s', async (compression) => {
    const dir = tmp();
    const prefix = uniqueName(`rt-${compression}`).replace(/-/g, '_');
    const fakerCatalog = configureCatalog((await runTargetCommand(faker, 'discover', { config: { count: 1 } })).messages.find((m) => m.type === 'CATALOG')!.catalog!);
    const toKafka = await pipe(faker, ['read', '--config', file(dir, 'f.json', { count: 500, seed: 3 }), '--catalog', file(dir, 'fc.json', fakerCatalog)],
      destination, ['write', '--config', file(dir, 'k.json', config({ topic_pattern: `${prefix}_{stream}`, compression_type: compression, acks: 'all' })), '--catalog', file(dir, 'fc.json', fakerCatalog)]);
    expect(toKafka.code).toBe(0);
    const topics = ['users', 'products', 'purchases'].map((s) => `${prefix}_${s}`);
    topics.forEach((t) => kafka.adopt(t));
    const src = { bootstrap_servers: kafkaEnv().broker, protocol: { security_protocol: 'PLAINTEXT' }, auto_offset_reset: 'earliest', group_id: kafka.group('rt'), subscription: { subscription_type: 'subscribe', topic_pattern: `${prefix}_.*` } };
    const db = join(dir, 'rt.duckdb');
    const toDuck = await pipe(source, ['read', '--config', file(dir, 's.json', src), '--catalog', file(dir, 'sc.json', layoutCatalog(topics, 'append'))],
      duckdb, ['write', '--config', file(dir, 'd.json', { destination_path: db }), '--catalog', file(dir, 'sc.json', layoutCatalog(topics, 'append'))]);
    expect(toDuck.code).toBe(0);
    const [[users, products, purchases]] = await query(db, `SELECT (SELECT count(*) FROM ${topics[0]}), (SELECT count(*) FROM ${topics[1]}), (SELECT count(*) FROM ${topics[2]})`) as [[bigint, bigint, bigint]];
    expect([users, products]).toEqual([500n, 100n]);
    expect(purchases).toBeGreaterThan(0n);
    expect(await query(db, `SELECT count(DISTINCT _airbyte_data->>'id'), min(_airbyte_stream) FROM ${topics[0]}`)).toEqual([[500n, 'users']]);
  });

  it('at least once: a source killed after reading, before the destination acknowledged, is re-read on rerun; dedup gives each key once; the group never ran ahead', async () => {
    const dir = tmp();
    const topic = await kafka.topic('alo', 3);
    await kafka.produce(topic, Array.from({ length: 600 }, (_, id) => ({ _airbyte_ab_id: `id-${id}`, _airbyte_stream: 's', _airbyte_emitted_at: id, _airbyte_data: { id } })));
    const group = kafka.group('alo');
    const src = file(dir, 's.json', { bootstrap_servers: kafkaEnv().broker, protocol: { security_protocol: 'PLAINTEXT' }, auto_offset_reset: 'earliest', group_id: group, subscription: { subscription_type: 'subscribe', topic_pattern: topic } });
    const cat = file(dir, 'c.json', layoutCatalog([topic], 'append_dedup'));
    const db = join(dir, 'alo.duckdb');
    const dst = file(dir, 'd.json', { destination_path: db });
    // attempt 1: the source is killed when its STATE appears, so the destination never sees (or echoes) it
    const first = await pipe(source, ['read', '--config', src, '--catalog', cat], duckdb, ['write', '--config', dst, '--catalog', cat], (l) => l.includes('"type":"STATE"'));
    expect(first.lines.filter((l) => l.includes('"type":"STATE"'))).toEqual([]);
    expect(Object.values(await kafka.committed(group, topic))).toEqual([-1, -1, -1]);
    // rerun from the last acknowledged state (none): everything is read again
    const second = await pipe(source, ['read', '--config', src, '--catalog', cat], duckdb, ['write', '--config', dst, '--catalog', cat]);
    expect(second.code).toBe(0);
    const acked = second.lines.filter((l) => l.includes('"type":"STATE"')).map((l) => JSON.parse(l).state);
    expect(acked.length).toBeGreaterThan(0);
    expect(await query(db, `SELECT count(*), count(DISTINCT _airbyte_ab_id) FROM "${topic.replace(/-/g, '_')}"`)).toEqual([[600n, 600n]]);
    // the acknowledged state comes back: now the group commits it
    const third = await runTargetCommand(source, 'read', { config: JSON.parse((await import('node:fs')).readFileSync(src, 'utf8')), catalog: layoutCatalog([topic], 'append_dedup'), state: [acked[acked.length - 1]] });
    expect(third.messages.filter((m) => m.type === 'RECORD')).toHaveLength(0);
    expect(await kafka.committed(group, topic)).toEqual(await kafka.highWatermarks(topic));
  });
});
