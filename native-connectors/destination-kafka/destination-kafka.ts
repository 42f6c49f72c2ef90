import { randomUUID } from 'node:crypto';
import kafkajs, { type Producer } from 'kafkajs';
import { defineDestination, writeWithBarrier, type InputMessage } from '../sdk/index.js';
import { kafkaClientConfig, registerCompressionCodecs, toKafkaError } from '../sdk/kafka/index.js';
import { producerSettings, type DestinationKafkaConfig, type ProducerSettings } from './destination-kafka-config.js';
import { ProducerPipeline } from './producer-pipeline.js';
import { spec } from './spec.js';
import { topicName } from './topic-name.js';

const roundRobinPartitioner = () => {
  let next = 0;
  return ({ partitionMetadata }: { partitionMetadata: { partitionId: number }[] }) => partitionMetadata[next++ % partitionMetadata.length]!.partitionId;
};

async function connectProducer(config: DestinationKafkaConfig, s: ProducerSettings): Promise<Producer> {
  registerCompressionCodecs();
  const kafka = new kafkajs.Kafka(kafkaClientConfig(config, 'airdock-destination-kafka'));
  const producer = kafka.producer({
    idempotent: s.idempotent,
    // Keys are fresh uuids, never reused: hashing them (kafkajs' murmur2 on emulated 64-bit longs,
    // 10 % of the CPU in a profile) buys no key locality, so messages go round-robin instead.
    createPartitioner: roundRobinPartitioner,
    retry: { retries: s.retries, maxRetryTime: s.deliveryTimeoutMs },
    ...(s.idempotent ? { maxInFlightRequests: 1 } : {}),
  });
  try {
    await producer.connect();
  } catch (error) {
    throw toKafkaError(error, 'connecting the producer');
  }
  return producer;
}

/**
 * The official message value: Airbyte's id (also the message key), the stream, the emission time and
 * the record's data, in the official field order. `data` is the source's bytes, not re-serialised.
 */
function messageValue(id: string, stream: string, emittedAt: number | string, data: string): string {
  return `{"_airbyte_ab_id":"${id}","_airbyte_stream":${JSON.stringify(stream)},"_airbyte_emitted_at":${emittedAt},"_airbyte_data":${data}}`;
}

const ID_FIELD = '{"_airbyte_ab_id":"';
const DATA_FIELD = ',"_airbyte_data":';

/**
 * messageValue as bytes, straight from the input line: `streamPart` is `","_airbyte_stream":<stream>,
 * "_airbyte_emitted_at":` (made once per stream), emitted_at and data are copied from `raw` (the SDK
 * hands destinations valid UTF-8). Decoding each record to a string and encoding the value again was
 * a large part of the destination's CPU in profiles.
 */
function messageValueBytes(id: string, streamPart: Buffer, raw: Buffer, emittedAt: readonly [number, number], data: readonly [number, number]): Buffer {
  const value = Buffer.allocUnsafe(ID_FIELD.length + id.length + streamPart.length + (emittedAt[1] - emittedAt[0]) + DATA_FIELD.length + (data[1] - data[0]) + 1);
  let pos = value.write(ID_FIELD, 0, 'latin1');
  pos += value.write(id, pos, 'latin1');
  pos += streamPart.copy(value, pos);
  pos += raw.copy(value, pos, emittedAt[0], emittedAt[1]);
  pos += value.write(DATA_FIELD, pos, 'latin1');
  pos += raw.copy(value, pos, data[0], data[1]);
  value[pos] = 0x7d;
  return value;
}

/**
 * Drop-in for Airbyte's destination-kafka 0.1.11: each stream to the topic `topic_pattern` names, one
 * message per record (key = a fresh uuid, value = the official JSON layout). Unlike the official
 * connector, which echoes a STATE as soon as it reads it, a STATE is echoed only after the broker
 * acknowledged every message before it.
 */
export const destinationKafka = defineDestination<DestinationKafkaConfig>({
  spec,
  async check(config) {
    const s = producerSettings(config);
    const producer = await connectProducer(config, s);
    try {
      const testTopic = config.test_topic?.trim();
      if (!testTopic) return;
      const id = randomUUID();
      await producer.send({
        topic: topicName(testTopic, testTopic),
        acks: s.acks,
        messages: [{ key: id, value: messageValue(id, 'test-topic-stream', Date.now(), '{"test-key":"test-value"}') }],
        timeout: s.requestTimeoutMs,
      }).catch((e: unknown) => { throw toKafkaError(e, 'producing to test_topic'); });
    } finally {
      await producer.disconnect().catch(() => {});
    }
  },
  async write(config, catalog, input, { emit }) {
    const s = producerSettings(config);
    const topics = new Map<string, { topic: string; streamPart: Buffer }>();
    for (const c of catalog.streams) {
      topics.set(`${c.stream.namespace ?? ''}\u0000${c.stream.name}`, {
        topic: topicName(config.topic_pattern, c.stream.name, c.stream.namespace),
        streamPart: Buffer.from(`","_airbyte_stream":${JSON.stringify(c.stream.name)},"_airbyte_emitted_at":`),
      });
    }
    const producer = await connectProducer(config, s);
    const pipeline = new ProducerPipeline(producer, s);
    try {
      const stats = await writeWithBarrier(input, emit, {
        write({ raw, record }: InputMessage) {
          // the envelope locates stream, emitted_at and data in the line: nothing is parsed
          const r = record!;
          const target = topics.get(`${r.namespace ?? ''}\u0000${r.stream}`);
          if (target === undefined) return undefined;
          const id = randomUUID();
          const value = messageValueBytes(id, target.streamPart, raw, r.emittedAtRange, r.dataRange);
          return pipeline.add(target.topic, { key: id, value }, value.length + 64);
        },
        commit: () => pipeline.drain(),
        failed: pipeline.failed,
      });
      await emit.log('INFO', `Kafka acknowledged ${pipeline.sent} messages to ${new Set([...topics.values()].map((t) => t.topic)).size} topics; ${stats.states} states echoed`);
    } finally {
      pipeline.close();
      await producer.disconnect().catch(() => {});
    }
  },
});
