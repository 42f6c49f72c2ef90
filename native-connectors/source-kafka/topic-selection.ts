import type { Admin } from 'kafkajs';
import { KafkaTopicNotFoundError, KafkaUnsupportedConfigError } from '../../protocol/index.js';
import type { SourceKafkaConfig } from './source-kafka-config.js';

/** topic → the partitions to read. */
export type TopicSelection = Map<string, number[]>;

/**
 * The topics and partitions a subscription names, as the official connector resolves them:
 * `subscribe` matches the whole topic name against the pattern (Java's Pattern.matches), internal
 * topics excluded; `assign` lists "topic:partition" pairs, which must exist.
 */
export async function selectTopics(admin: Admin, subscription: SourceKafkaConfig['subscription']): Promise<TopicSelection> {
  const selection: TopicSelection = new Map();
  if (subscription.subscription_type === 'subscribe') {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${subscription.topic_pattern})$`);
    } catch (cause) {
      throw new KafkaUnsupportedConfigError('topic_pattern is not a valid regular expression', { cause, context: { field: 'subscription.topic_pattern' } });
    }
    const topics = (await admin.listTopics()).filter((t) => re.test(t) && !t.startsWith('__')).sort();
    if (topics.length === 0) return selection;
    const { topics: meta } = await admin.fetchTopicMetadata({ topics });
    for (const t of meta) selection.set(t.name, t.partitions.map((p) => p.partitionId).sort((a, b) => a - b));
    return selection;
  }
  const pairs = subscription.topic_partitions.replace(/\s+/g, '').split(',').filter(Boolean);
  for (const pair of pairs) {
    const m = /^(.+):(\d+)$/.exec(pair);
    if (!m) {
      throw new KafkaUnsupportedConfigError('topic_partitions must be a comma-separated list of topic:partition', { context: { field: 'subscription.topic_partitions', entry: pair } });
    }
    const list = selection.get(m[1]!) ?? [];
    if (!list.includes(Number(m[2]))) list.push(Number(m[2]));
    selection.set(m[1]!, list.sort((a, b) => a - b));
  }
  const existing = new Set(await admin.listTopics());
  const missing = [...selection.keys()].filter((t) => !existing.has(t));
  if (missing.length > 0) throw new KafkaTopicNotFoundError('A topic of topic_partitions does not exist', { context: { topic: missing[0], missing: missing.length } });
  const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...selection.keys()] });
  for (const t of meta) {
    const have = new Set(t.partitions.map((p) => p.partitionId));
    const bad = selection.get(t.name)!.find((p) => !have.has(p));
    if (bad !== undefined) throw new KafkaTopicNotFoundError('A partition of topic_partitions does not exist', { context: { topic: t.name, partition: bad, partitions: have.size } });
  }
  return selection;
}
