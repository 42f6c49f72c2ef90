import { randomUUID } from 'node:crypto';
import kafkajs, { type Admin } from 'kafkajs';
import { KafkaTopicNotFoundError, type AirbyteStream } from '../../protocol/index.js';
import { defineSource } from '../sdk/index.js';
import { kafkaClientConfig, registerCompressionCodecs, toKafkaError } from '../sdk/kafka/index.js';
import { boundedRead } from './bounded-read.js';
import { partitionRanges } from './partition-offsets.js';
import { resolveSourceKafkaConfig, type SourceKafkaConfig } from './source-kafka-config.js';
import { spec } from './spec.js';
import { selectTopics } from './topic-selection.js';

/** The stream the official connector reports for a topic (JSON format), plus the offset as its cursor. */
function topicStream(topic: string): AirbyteStream {
  return {
    name: topic,
    json_schema: { type: 'object', properties: { value: { type: 'string' } } },
    supported_sync_modes: ['full_refresh', 'incremental'],
    // Partition offsets are the cursor: an incremental read resumes after them.
    source_defined_cursor: true,
  };
}

async function withAdmin<T>(config: SourceKafkaConfig, doing: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  registerCompressionCodecs();
  const admin = new kafkajs.Kafka(kafkaClientConfig(config, 'airdock-source-kafka')).admin();
  try {
    await admin.connect();
    return await fn(admin);
  } catch (error) {
    throw toKafkaError(error, doing);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * Drop-in for Airbyte's source-kafka 0.4.2 (JSON messages): one stream per topic, the message's JSON
 * object as the record. Adds what it lacks: a read ends at the high watermarks seen at its start,
 * STREAM state holds each topic's partition offsets, and the consumer group's committed offsets
 * follow the state only when a later read receives it, i.e. after the destination acknowledged.
 */
export const sourceKafka = defineSource<SourceKafkaConfig>({
  spec,
  async check(config) {
    resolveSourceKafkaConfig(config);
    await withAdmin(config, 'checking the connection', async (admin) => {
      await admin.describeCluster();
      if (config.test_topic?.trim() && !(await admin.listTopics()).includes(config.test_topic.trim())) {
        throw new KafkaTopicNotFoundError('The test_topic does not exist', { context: { topic: config.test_topic.trim() } });
      }
      await selectTopics(admin, config.subscription);
    });
  },
  async discover(config) {
    resolveSourceKafkaConfig(config);
    const selection = await withAdmin(config, 'listing topics', (admin) => selectTopics(admin, config.subscription));
    return { streams: [...selection.keys()].map(topicStream) };
  },
  async read(config, catalog, state, { emit, signal }) {
    const c = resolveSourceKafkaConfig(config);
    const groupId = config.group_id?.trim() || undefined;
    const warn = (m: string) => { void emit.log('WARN', m); };
    const { ranges, selection } = await withAdmin(config, 'reading offsets', async (admin) => {
      const all = await selectTopics(admin, config.subscription);
      const selection = new Map<string, number[]>();
      for (const s of catalog.streams) {
        const partitions = all.get(s.stream.name);
        if (!partitions) throw new KafkaTopicNotFoundError('A configured stream has no topic matching the subscription', { context: { topic: s.stream.name } });
        selection.set(s.stream.name, partitions);
      }
      const ranges = await partitionRanges(admin, selection, state, groupId, c.autoOffsetReset, warn);
      return { ranges, selection };
    });
    for (const topic of selection.keys()) {
      await emit.streamStatus(topic, 'STARTED');
      await emit.estimate(topic, ranges.filter((r) => r.topic === topic).reduce((n, r) => n + (r.end - r.start), 0));
    }
    // Without a group_id (allowed with assign) the read uses a throw-away group and commits nothing.
    const readGroup = groupId ?? `airdock-source-kafka-${randomUUID()}`;
    const kafka = new kafkajs.Kafka(kafkaClientConfig(config, 'airdock-source-kafka'));
    const result = await boundedRead({ kafka, groupId: readGroup, commit: groupId ? ranges.filter((r) => r.fromState) : [], ranges, config: c, emit, signal });
    if (!groupId) {
      await withAdmin(config, 'removing the read group', (admin) => admin.deleteGroups([readGroup])).catch(() => {});
    }
    if (result.tombstones > 0) warn(`Skipped ${result.tombstones} messages with a null value (tombstones)`);
    if (result.ended === 'max_records') await emit.log('INFO', `Stopped after max_records_process=${c.maxRecords} records; the next read continues from the state`);
    for (const topic of selection.keys()) await emit.streamStatus(topic, 'COMPLETE');
  },
});
