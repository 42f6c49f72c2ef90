import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import type { AirbyteMessage, AirbyteStateMessage } from '../../protocol/index.js';
import { configureCatalog, describeSourceConformance, runTargetCommand, type CommandResult } from '../../native-connectors/sdk/testing/index.js';
import { TestKafka, kafkaEnv, nativeConnector, uniqueName } from '../support/kafka.js';

const source = nativeConnector('source-kafka');
let kafka: TestKafka;
const conformanceTopic = uniqueName('conformance');

beforeAll(async () => {
  kafka = await TestKafka.connect();
  await kafka.admin.createTopics({ topics: [{ topic: conformanceTopic, numPartitions: 2 }], waitForLeaders: true });
  kafka.adopt(conformanceTopic);
  await kafka.produce(conformanceTopic, Array.from({ length: 40 }, (_, id) => ({ id, name: `n${id}` })));
});
afterAll(async () => { await kafka?.[Symbol.asyncDispose](); });

const config = (o: Record<string, unknown> = {}) => ({
  bootstrap_servers: kafkaEnv().broker,
  protocol: { security_protocol: 'PLAINTEXT' },
  auto_offset_reset: 'earliest',
  ...o,
});
const subscribe = (topic: string) => ({ subscription_type: 'subscribe', topic_pattern: topic });

describeSourceConformance('native:source-kafka (process)', source, { config: config({ subscription: subscribe(conformanceTopic), group_id: uniqueName('conformance-group') }) });

async function catalogFor(cfg: object) {
  const r = await runTargetCommand(source, 'discover', { config: cfg });
  expect(r.exitCode, r.stderr).toBe(0);
  return configureCatalog(r.messages.find((m) => m.type === 'CATALOG')!.catalog!);
}
const records = (r: CommandResult) => r.messages.filter((m) => m.type === 'RECORD').map((m) => m.record!.data as { id: number });
const lastStates = (r: CommandResult): AirbyteStateMessage[] => {
  const byStream = new Map<string, AirbyteStateMessage>();
  for (const m of r.messages) if (m.type === 'STATE') byStream.set(m.state!.stream!.stream_descriptor.name, m.state!);
  return [...byStream.values()];
};
const offsets = (s: AirbyteStateMessage[]) => (s[0]!.stream!.stream_state as { partitions: Record<string, number> }).partitions;
const traceError = (r: CommandResult) => r.messages.find((m) => m.type === 'TRACE' && (m as AirbyteMessage & { trace: { type: string } }).trace.type === 'ERROR')?.trace?.error;

describe('native:source-kafka reads', () => {
  it('ends at the high watermarks seen at start, and the group follows the state only when it comes back', async () => {
    const topic = await kafka.topic('bounded');
    const group = kafka.group('bounded');
    await kafka.produce(topic, Array.from({ length: 300 }, (_, id) => ({ id })));
    const cfg = config({ subscription: subscribe(topic), group_id: group });
    const catalog = await catalogFor(cfg);
    expect(catalog.streams.map((s) => s.stream.name)).toEqual([topic]);

    const first = await runTargetCommand(source, 'read', { config: cfg, catalog });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(records(first).map((d) => d.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const state1 = lastStates(first);
    expect(offsets(state1)).toEqual(await kafka.highWatermarks(topic));
    // nothing is committed before the destination acknowledged (= before the state comes back)
    expect(Object.values(await kafka.committed(group, topic))).toEqual([-1, -1, -1]);

    await kafka.produce(topic, Array.from({ length: 100 }, (_, i) => ({ id: 300 + i })));
    const second = await runTargetCommand(source, 'read', { config: cfg, catalog, state: state1 });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(records(second).map((d) => d.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => 300 + i));
    expect(await kafka.committed(group, topic)).toEqual(offsets(state1));

    const third = await runTargetCommand(source, 'read', { config: cfg, catalog, state: lastStates(second) });
    expect(records(third)).toEqual([]);
    expect(await kafka.committed(group, topic)).toEqual(offsets(lastStates(second)));
    expect(offsets(lastStates(third))).toEqual(await kafka.highWatermarks(topic));
  });

  it('reads past the first fetch: a partition larger than one fetch response is read to its end', async () => {
    const topic = await kafka.topic('large', 1);
    // ~4 MB on one partition: kafkajs fetches at most 1 MiB per partition at a time
    await kafka.produce(topic, Array.from({ length: 4000 }, (_, id) => ({ id, pad: 'p'.repeat(1000) })));
    const cfg = config({ subscription: subscribe(topic), group_id: kafka.group('large') });
    const r = await runTargetCommand(source, 'read', { config: cfg, catalog: await catalogFor(cfg) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(records(r).map((d) => d.id)).toEqual(Array.from({ length: 4000 }, (_, i) => i));
    expect(r.messages.filter((m) => m.type === 'LOG' && m.log!.level === 'WARN')).toEqual([]);
  });

  it('stops at max_records_process and the next read continues from the state', async () => {
    const topic = await kafka.topic('max', 1);
    await kafka.produce(topic, Array.from({ length: 120 }, (_, id) => ({ id })));
    const cfg = config({ subscription: subscribe(topic), group_id: kafka.group('max'), max_records_process: 50 });
    const catalog = await catalogFor(cfg);
    const first = await runTargetCommand(source, 'read', { config: cfg, catalog });
    expect(records(first).map((d) => d.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(offsets(lastStates(first))).toEqual({ 0: 50 });
    const second = await runTargetCommand(source, 'read', { config: cfg, catalog, state: lastStates(first) });
    expect(records(second).map((d) => d.id)).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
  });

  it('assign reads only the listed partitions, without a group_id and without leaving a group behind', async () => {
    const topic = await kafka.topic('assign', 3);
    for (const partition of [0, 1, 2]) await kafka.produce(topic, Array.from({ length: 10 }, (_, i) => ({ id: partition * 100 + i })), { partition });
    const cfg = config({ subscription: { subscription_type: 'assign', topic_partitions: `${topic}:0, ${topic}:2` } });
    const before = (await kafka.admin.listGroups()).groups.length;
    const r = await runTargetCommand(source, 'read', { config: cfg, catalog: await catalogFor(cfg) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(records(r).map((d) => d.id).sort((a, b) => a - b)).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 200 + i)]);
    expect(offsets(lastStates(r))).toEqual({ 0: 10, 2: 10 });
    expect((await kafka.admin.listGroups()).groups.filter((g) => g.groupId.startsWith('airdock-source-kafka-')).length).toBe(0);
    expect((await kafka.admin.listGroups()).groups.length).toBeLessThanOrEqual(before);
  });

  it('auto_offset_reset=latest starts at the end; non-object JSON values become {"value": ...}; tombstones are skipped', async () => {
    const topic = await kafka.topic('latest', 1);
    await kafka.produce(topic, [{ id: 1 }]);
    const cfg = config({ subscription: subscribe(topic), group_id: kafka.group('latest'), auto_offset_reset: 'latest' });
    const catalog = await catalogFor(cfg);
    const first = await runTargetCommand(source, 'read', { config: cfg, catalog });
    expect(records(first)).toEqual([]);
    await kafka.produce(topic, ['"text"', '42', null, '{\n  "pretty": true\n}']);
    const second = await runTargetCommand(source, 'read', { config: cfg, catalog, state: lastStates(first) });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(records(second)).toEqual([{ value: 'text' }, { value: 42 }, { pretty: true }]);
    expect(offsets(lastStates(second))).toEqual({ 0: 5 });
  });

  it('reads messages compressed with every codec', async () => {
    const topic = await kafka.topic('codecs', 1);
    const { CompressionTypes } = kafkajs;
    for (const [i, c] of [CompressionTypes.None, CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD].entries()) {
      await kafka.produce(topic, Array.from({ length: 20 }, (_, j) => ({ id: i * 20 + j, pad: 'x'.repeat(50) })), { compression: c });
    }
    const cfg = config({ subscription: subscribe(topic), group_id: kafka.group('codecs') });
    const r = await runTargetCommand(source, 'read', { config: cfg, catalog: await catalogFor(cfg) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(records(r).map((d) => d.id)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('native:source-kafka errors', () => {
  it('a message that is not JSON fails the read with its position, as a system error', async () => {
    const topic = await kafka.topic('badjson', 1);
    await kafka.produce(topic, [{ id: 1 }, 'not json {']);
    const cfg = config({ subscription: subscribe(topic), group_id: kafka.group('badjson') });
    const r = await runTargetCommand(source, 'read', { config: cfg, catalog: await catalogFor(cfg) });
    expect(r.exitCode).toBe(1);
    expect(traceError(r)).toMatchObject({ failure_type: 'system_error' });
    expect(traceError(r)!.message).toContain('AIRDOCK_KAFKA_BAD_MESSAGE');
    expect(traceError(r)!.message).toContain('offset="1"');
  });

  it('an assigned topic that does not exist is a config error', async () => {
    const cfg = config({ subscription: { subscription_type: 'assign', topic_partitions: `${uniqueName('missing')}:0` } });
    const r = await runTargetCommand(source, 'discover', { config: cfg });
    expect(r.exitCode).toBe(1);
    expect(traceError(r)).toMatchObject({ failure_type: 'config_error' });
    expect(traceError(r)!.message).toContain('AIRDOCK_KAFKA_TOPIC_NOT_FOUND');
  });

  it('an unreachable broker is a transient error', async () => {
    const cfg = config({ bootstrap_servers: '127.0.0.1:1', subscription: subscribe('x'), request_timeout_ms: 1000, retry_backoff_ms: 50 });
    const r = await runTargetCommand(source, 'discover', { config: cfg });
    expect(r.exitCode).toBe(1);
    expect(traceError(r)).toMatchObject({ failure_type: 'transient_error' });
    expect(traceError(r)!.message).toContain('AIRDOCK_KAFKA_UNAVAILABLE');
  });
});

describe('native:source-kafka security protocols', () => {
  const jaas = (module: 'plain' | 'scram', password: string) =>
    `org.apache.kafka.common.security.${module}.${module === 'plain' ? 'PlainLoginModule' : 'ScramLoginModule'} required username="${kafkaEnv().user}" password="${password}";`;
  const status = (r: CommandResult) => r.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;

  // the official source spec allows PLAIN on SASL_PLAINTEXT, and every mechanism on SASL_SSL
  it.each([['SASL_PLAINTEXT', 'PLAIN', 'plain'], ['SASL_SSL', 'SCRAM-SHA-256', 'scram'], ['SASL_SSL', 'SCRAM-SHA-512', 'scram']] as const)('%s %s: good credentials pass check, a wrong password fails it as an auth error that never shows the password', async (protocol, mechanism, module) => {
    const cfg = (password: string) => config({
      bootstrap_servers: protocol === 'SASL_SSL' ? kafkaEnv().saslSslBroker : kafkaEnv().saslBroker, subscription: subscribe(conformanceTopic),
      protocol: { security_protocol: protocol, sasl_mechanism: mechanism, sasl_jaas_config: jaas(module, password) },
    });
    const trusted = { ...source, env: { ...process.env, NODE_EXTRA_CA_CERTS: kafkaEnv().ca } };
    const good = await runTargetCommand(trusted, 'check', { config: cfg(kafkaEnv().password) });
    expect(status(good), good.stderr).toMatchObject({ status: 'SUCCEEDED' });
    const wrong = 'Wr0ng-Pa55word-xyz';
    const bad = await runTargetCommand(trusted, 'check', { config: cfg(wrong) });
    expect(bad.exitCode).toBe(0);
    expect(status(bad)).toMatchObject({ status: 'FAILED' });
    expect(status(bad)!.message).toContain('refused the SASL credentials');
    expect(bad.rawLines.join('\n') + bad.stderr).not.toContain(wrong);
  });

  it('SASL_SSL with SCRAM reads, trusting the broker CA through NODE_EXTRA_CA_CERTS', async () => {
    const cfg = config({
      bootstrap_servers: kafkaEnv().saslSslBroker, subscription: subscribe(conformanceTopic), group_id: kafka.group('ssl'),
      protocol: { security_protocol: 'SASL_SSL', sasl_mechanism: 'SCRAM-SHA-512', sasl_jaas_config: jaas('scram', kafkaEnv().password) },
    });
    const trusted = { ...source, env: { ...process.env, NODE_EXTRA_CA_CERTS: kafkaEnv().ca } };
    const discovered = await runTargetCommand(trusted, 'discover', { config: cfg });
    expect(discovered.exitCode, discovered.stderr).toBe(0);
    const r = await runTargetCommand(trusted, 'read', { config: cfg, catalog: configureCatalog(discovered.messages.find((m) => m.type === 'CATALOG')!.catalog!) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(records(r)).toHaveLength(40);
    const untrusted = await runTargetCommand(source, 'check', { config: { ...cfg, retry_backoff_ms: 50 } });
    expect(status(untrusted)).toMatchObject({ status: 'FAILED' });
    expect(status(untrusted)!.message).toContain('TLS certificate is not trusted');
  });
});
