import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { Emitter } from '../sdk/index.js';
import { prefetchFetchesOf, toKafkaError } from '../sdk/kafka/index.js';
import { fixedAssigner } from './fixed-assigner.js';
import type { PartitionRange, TopicState } from './partition-offsets.js';
import { RecordLines } from './record-lines.js';
import type { ResolvedSourceKafkaConfig } from './source-kafka-config.js';

export interface BoundedReadOptions {
  kafka: Kafka;
  groupId: string;
  /** Offsets that came back in --state: committed to the group once it is joined (they are acknowledged). */
  commit: PartitionRange[];
  ranges: PartitionRange[];
  config: ResolvedSourceKafkaConfig;
  emit: Emitter;
  signal: AbortSignal;
}

export interface BoundedReadResult { records: number; tombstones: number; ended: 'complete' | 'max_records' | 'idle' }

/** A STATE per topic at least this often while reading (and always at the end). */
const STATE_EVERY_MS = 1_000;
const STATE_EVERY_RECORDS = 50_000;
/** Lines are written in chunks of about this size. */
const FLUSH_BYTES = 256 * 1024;

/**
 * Reads every range from its start to its end (the high watermark seen when the read began) and
 * stops, so a sync ends. Records are emitted in offset order per partition; a STATE per topic holds
 * the next offset of every partition. Nothing is committed here beyond `commit`: the group's offsets
 * follow the state only once a later read receives it, i.e. after the destination acknowledged it.
 */
export async function boundedRead(o: BoundedReadOptions): Promise<BoundedReadResult> {
  const key = (t: string, p: number) => `${t}\u0000${p}`;
  const position = new Map(o.ranges.map((r) => [key(r.topic, r.partition), r.start]));
  const end = new Map(o.ranges.map((r) => [key(r.topic, r.partition), r.end]));
  const work = o.ranges.filter((r) => r.start < r.end);
  const topics = [...new Set(o.ranges.map((r) => r.topic))];
  const result: BoundedReadResult = { records: 0, tombstones: 0, ended: 'complete' };
  const sinceState = new Map<string, { records: number; at: number }>(topics.map((t) => [t, { records: 0, at: Date.now() }]));

  const emitState = (topic: string) => {
    const partitions: TopicState['partitions'] = {};
    for (const r of o.ranges) if (r.topic === topic) partitions[String(r.partition)] = position.get(key(r.topic, r.partition))!;
    sinceState.set(topic, { records: 0, at: Date.now() });
    return o.emit.streamState(topic, { partitions } satisfies TopicState);
  };

  if (work.length > 0 || o.commit.length > 0) await consume();
  for (const t of topics) await emitState(t);
  return result;

  async function consume(): Promise<void> {
    const selection = new Map<string, number[]>();
    for (const r of work) selection.set(r.topic, [...(selection.get(r.topic) ?? []), r.partition]);
    // with nothing to read the group is still joined once: that is how the acknowledged offsets get committed
    const subscribed = selection.size > 0 ? [...selection.keys()] : [...new Set(o.commit.map((r) => r.topic))];
    let remaining = work.length;
    let finished = false;
    let inBatch = false;
    let lastProgress = Date.now();
    let finish!: (e?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => { finish = (e) => { if (finished) return; finished = true; if (e === undefined) resolve(); else reject(e); }; });

    // fetching ahead is safe here: every batch is read whole or the read ends (see prefetching-fetch.ts)
    prefetchFetchesOf(o.groupId);
    const consumer = o.kafka.consumer({
      groupId: o.groupId,
      partitionAssigners: [fixedAssigner(selection)],
      // short enough that a killed read's member does not hold the next read's join for long
      sessionTimeout: 10_000,
      rebalanceTimeout: 20_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: o.config.pollingTimeMs,
      allowAutoTopicCreation: false,
      // a crash fails the read (and the sync retries); a silent restart would lose our seek positions
      retry: { restartOnFailure: async () => false },
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => finish(toKafkaError(payload.error, 'consuming')));
    consumer.on(consumer.events.GROUP_JOIN, () => { lastProgress = Date.now(); });
    // END_BATCH_PROCESS also fires for batches that held only control records (transaction markers),
    // which never reach eachBatch: the position still has to move past them.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) advance(payload.topic, payload.partition, Number(payload.lastOffset) + 1);
    });
    const onAbort = () => finish(o.signal.reason ?? new Error('aborted'));
    o.signal.addEventListener('abort', onAbort, { once: true });
    const idleMs = Math.max(5_000, (o.config.repeatedCalls + 1) * o.config.pollingTimeMs);
    const idle = setInterval(() => {
      if (!inBatch && Date.now() - lastProgress > idleMs) {
        const stuck = work.filter((r) => position.get(key(r.topic, r.partition))! < r.end).map((r) => `${r.topic}:${r.partition}`);
        void o.emit.log('WARN', `No message arrived for ${idleMs} ms before the high watermark of ${stuck.slice(0, 5).join(', ')}; ending the read there`);
        result.ended = 'idle';
        finish();
      }
    }, 250);

    const completed = new Set<string>();
    function advance(topic: string, partition: number, next: number) {
      const k = key(topic, partition);
      const e = end.get(k);
      if (e === undefined) return;
      if (next > position.get(k)!) { position.set(k, Math.min(next, e)); lastProgress = Date.now(); }
      if (position.get(k)! >= e && !completed.has(k)) {
        completed.add(k);
        consumer.pause([{ topic, partitions: [partition] }]);
        if (--remaining === 0) finish();
      }
    }

    async function eachBatch({ batch, heartbeat, resolveOffset }: EachBatchPayload): Promise<void> {
      if (finished) return;
      inBatch = true;
      try {
        const { topic, partition } = batch;
        const k = key(topic, partition);
        const e = end.get(k)!;
        let pos = position.get(k)!;
        let handled = 0;
        let whole = true;
        const counter = sinceState.get(topic)!;
        const lines = new RecordLines(topic, Date.now());
        const flush = async () => {
          const count = lines.count;
          if (count === 0) return;
          const wait = o.emit.recordBytes(topic, lines.take(), count);
          if (wait) await wait;
        };
        try {
          for (const m of batch.messages) {
            const offset = Number(m.offset);
            if (offset < pos) continue;
            if (offset >= e || finished) { whole = false; break; }
            if (result.records >= o.config.maxRecords) { result.ended = 'max_records'; finish(); whole = false; break; }
            if (m.value === null) result.tombstones++;
            else {
              lines.add(m.value, { topic, partition, offset: m.offset });
              result.records++;
              counter.records++;
              if (lines.bytes >= FLUSH_BYTES) await flush();
            }
            pos = offset + 1;
            position.set(k, pos);
            if (++handled % o.config.maxPollRecords === 0) { lastProgress = Date.now(); await heartbeat(); }
          }
        } finally {
          // the records before a refused message still go out, as they did one by one
          await flush();
        }
        // a whole batch also moves past its trailing control records; a cut one stops at what was emitted
        const next = whole ? Math.max(pos, Number(batch.lastOffset()) + 1) : pos;
        advance(topic, partition, next);
        // kafkajs fetches from the last resolved offset (nothing is committed: autoCommit is off);
        // without this it would fetch the same first batch again and again
        if (next > 0) resolveOffset(String(next - 1));
        if (counter.records >= STATE_EVERY_RECORDS || (counter.records > 0 && Date.now() - counter.at >= STATE_EVERY_MS)) await emitState(topic);
      } catch (error) {
        finish(error);
      } finally {
        inBatch = false;
      }
    }

    try {
      await consumer.connect();
      await consumer.subscribe({ topics: subscribed });
      // resolves once the group is joined (a failure to join crashes the consumer: see CRASH above)
      const joined = consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
      // seeks made before the group is joined are applied before the first fetch of each partition
      for (const r of work) consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.start) });
      await Promise.race([joined, done]);
      // Only now: kafkajs silently drops commits made before run() has joined, or after stop().
      if (o.commit.length > 0) {
        await consumer.commitOffsets(o.commit.map((r) => ({ topic: r.topic, partition: r.partition, offset: String(r.start) }))).catch((e: unknown) => {
          void o.emit.log('WARN', `Could not commit the acknowledged offsets to group ${o.groupId} (they stay in the state; the next read commits them): ${toKafkaError(e, 'committing offsets').describe()}`);
        });
      }
      if (remaining === 0) finish();
      await done;
    } catch (error) {
      throw toKafkaError(error, 'consuming', { groupId: o.groupId });
    } finally {
      clearInterval(idle);
      o.signal.removeEventListener('abort', onAbort);
      await consumer.disconnect().catch(() => {});
    }
  }
}
