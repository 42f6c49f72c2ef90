import type { Admin } from 'kafkajs';
import { KafkaUnsupportedConfigError } from '../../protocol/index.js';
import type { StateView } from '../sdk/index.js';
import type { TopicSelection } from './topic-selection.js';

/** A stream's state: per partition, the offset of the next message to read (what Kafka commits). */
export interface TopicState { partitions: Record<string, number> }

/** One partition's bounds for this read: [start, end), end being the high watermark seen at start. */
export interface PartitionRange { topic: string; partition: number; start: number; end: number; fromState: boolean }

/**
 * Where each partition starts and ends. Start: the state's offset, else the group's committed offset,
 * else auto_offset_reset; an offset outside [low, high] (retention deleted it, or the topic was
 * recreated) is reset the same way, as the Java consumer does on OffsetOutOfRange.
 */
export async function partitionRanges(
  admin: Admin, selection: TopicSelection, state: StateView, groupId: string | undefined, reset: 'latest' | 'earliest' | 'none',
  warn: (message: string) => void,
): Promise<PartitionRange[]> {
  const topics = [...selection.keys()];
  const committed = new Map<string, number>();
  if (groupId && topics.length > 0) {
    for (const t of await admin.fetchOffsets({ groupId, topics })) {
      for (const p of t.partitions) if (Number(p.offset) >= 0) committed.set(`${t.topic}:${p.partition}`, Number(p.offset));
    }
  }
  const ranges: PartitionRange[] = [];
  for (const topic of topics) {
    const watermarks = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }]));
    const fromState = state.get<TopicState>(topic)?.partitions ?? {};
    for (const partition of selection.get(topic)!) {
      const { low, high } = watermarks.get(partition) ?? { low: 0, high: 0 };
      const stateOffset = typeof fromState[partition] === 'number' ? fromState[partition] : undefined;
      let start = stateOffset ?? committed.get(`${topic}:${partition}`);
      if (start !== undefined && (start < low || start > high)) {
        warn(`${topic}:${partition}: offset ${start} is outside the log [${low}, ${high}]; applying auto_offset_reset=${reset}`);
        start = undefined;
      }
      if (start === undefined) {
        if (reset === 'none') {
          throw new KafkaUnsupportedConfigError('No state and no committed offset for a partition, and auto_offset_reset is none', { context: { topic, partition } });
        }
        start = reset === 'earliest' ? low : high;
      }
      ranges.push({ topic, partition, start, end: high, fromState: stateOffset !== undefined && start === stateOffset });
    }
  }
  return ranges;
}
