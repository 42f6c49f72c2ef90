/**
 * The Kafka broker `scripts/setup/kafka.sh` starts (via ci-setup), for tests: its addresses, SASL test
 * user and CA, and a small kafkajs helper that creates uniquely named topics, produces into them and
 * deletes them again. Missing settings throw with what to run (tests fail, never skip).
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import kafkajs, { type Admin, type Producer } from 'kafkajs';
import { registerCompressionCodecs } from '../../native-connectors/sdk/kafka/index.js';
import { requireEnv } from './services.js';
import { repoRoot } from './repo-paths.js';

export const kafkaEnv = () => ({
  broker: requireEnv('AIRDOCK_TEST_KAFKA_BROKER'),
  saslBroker: requireEnv('AIRDOCK_TEST_KAFKA_SASL_BROKER'),
  saslSslBroker: requireEnv('AIRDOCK_TEST_KAFKA_SASL_SSL_BROKER'),
  user: requireEnv('AIRDOCK_TEST_KAFKA_SASL_USER'),
  password: requireEnv('AIRDOCK_TEST_KAFKA_SASL_PASSWORD'),
  ca: requireEnv('AIRDOCK_TEST_KAFKA_CA'),
});

/** Topic and group names no other test or worktree uses. */
export const uniqueName = (prefix: string) => `airdock-${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/** A built native connector, run as a process the way the runtime launches it. */
export const nativeConnector = (name: string) => ({ kind: 'command' as const, argv: [process.execPath, join(resolve(repoRoot), 'dist/native-connectors', name, 'main.js')] });

export class TestKafka implements AsyncDisposable {
  readonly admin: Admin;
  readonly producer: Producer;
  readonly #topics = new Set<string>();
  readonly #groups = new Set<string>();

  private constructor(readonly kafka: kafkajs.Kafka) {
    this.admin = kafka.admin();
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  static async connect(): Promise<TestKafka> {
    registerCompressionCodecs();
    const k = new TestKafka(new kafkajs.Kafka({ brokers: [kafkaEnv().broker], clientId: 'airdock-tests', logLevel: kafkajs.logLevel.NOTHING }));
    await k.admin.connect();
    await k.producer.connect();
    return k;
  }

  async topic(prefix: string, partitions = 3): Promise<string> {
    const name = uniqueName(prefix);
    await this.admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
    this.#topics.add(name);
    return name;
  }

  /** Remembers a topic created by someone else (a destination) so it is deleted at the end. */
  adopt(topic: string): void { this.#topics.add(topic); }

  group(prefix: string): string {
    const g = uniqueName(prefix);
    this.#groups.add(g);
    return g;
  }

  /** Produces values (objects are JSON-encoded; strings are sent as they are; null is a tombstone). */
  async produce(topic: string, values: readonly unknown[], o: { partition?: number; compression?: number } = {}): Promise<void> {
    for (let i = 0; i < values.length; i += 1000) {
      const messages = values.slice(i, i + 1000).map((v, j) => ({
        key: `k${i + j}`,
        value: v === null ? null : typeof v === 'string' ? v : JSON.stringify(v),
        ...(o.partition === undefined ? {} : { partition: o.partition }),
      }));
      await this.producer.send({ topic, messages, ...(o.compression === undefined ? {} : { compression: o.compression }) });
    }
  }

  /** The group's committed offset per partition (-1 when none). */
  async committed(groupId: string, topic: string): Promise<Record<string, number>> {
    const [t] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries((t?.partitions ?? []).map((p) => [String(p.partition), Number(p.offset)]));
  }

  async highWatermarks(topic: string): Promise<Record<string, number>> {
    return Object.fromEntries((await this.admin.fetchTopicOffsets(topic)).map((p) => [String(p.partition), Number(p.high)]));
  }

  /** Every message of a topic, decoded (for checking what a destination wrote). */
  async readAll(topic: string): Promise<{ key: string | null; value: string | null; partition: number; offset: string }[]> {
    const high = await this.highWatermarks(topic);
    const total = Object.values(high).reduce((a, b) => a + b, 0);
    const out: { key: string | null; value: string | null; partition: number; offset: string }[] = [];
    if (total === 0) return out;
    const consumer = this.kafka.consumer({ groupId: this.group('reader'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`read ${out.length} of ${total} messages of ${topic} within 30 s`)), 30_000);
      consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) out.push({ key: m.key?.toString() ?? null, value: m.value?.toString() ?? null, partition: batch.partition, offset: m.offset });
          if (out.length >= total) { clearTimeout(timer); done(); }
        },
      }).catch(fail);
    });
    await consumer.disconnect();
    return out;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.producer.disconnect().catch(() => {});
    if (this.#topics.size > 0) await this.admin.deleteTopics({ topics: [...this.#topics] }).catch(() => {});
    const groups = (await this.admin.listGroups().catch(() => ({ groups: [] as { groupId: string }[] }))).groups.map((g) => g.groupId).filter((g) => this.#groups.has(g));
    if (groups.length > 0) await this.admin.deleteGroups(groups).catch(() => {});
    await this.admin.disconnect().catch(() => {});
  }
}
