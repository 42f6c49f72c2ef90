import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo-paths.js';
import { TestKafka, kafkaEnv } from '../support/kafka.js';

// The connectors' own produce encoder and fetch decoder (the kafkajs fast path) against the real broker,
// in both directions with kafkajs' own code on the other side: what the fast path produces kafkajs reads
// back unchanged, and what kafkajs produces the fast path reads back unchanged, for every codec.
const client = resolve(repoRoot, 'test/fixtures/kafka/fast-path-client.mjs');
let kafka: TestKafka;
beforeAll(async () => { kafka = await TestKafka.connect(); });
afterAll(async () => { await kafka?.[Symbol.asyncDispose](); });

interface Wire { key: string | null; value: string | null; headers: Record<string, string | null | (string | null)[]>; timestamp: string }
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const ts = Date.now() - 60_000;
const messages: Wire[] = [
  { key: b64('k1'), value: b64('{"a":1}'), headers: {}, timestamp: String(ts) },
  { key: null, value: b64('{"no":"key"}'), headers: {}, timestamp: String(ts + 1) },
  { key: b64('tombstone'), value: null, headers: {}, timestamp: String(ts + 2) },
  { key: b64(Buffer.from([0, 1, 255])), value: b64('ünïcødé 😀 中文 "quoted" \\'), headers: { h: b64('v'), many: [b64('é'), b64('2')], bin: b64(Buffer.from([0, 7])) }, timestamp: String(ts + 3) },
  { key: b64(''), value: b64(''), headers: {}, timestamp: String(ts + 1) },
  { key: b64('big'), value: b64(`{"big":"${'x'.repeat(900_000)}","n":123456789012345678901234567890}`), headers: {}, timestamp: String(ts + 4) },
  ...Array.from({ length: 500 }, (_, i) => ({ key: b64(`key-${i}`), value: b64(JSON.stringify({ i, s: 'ß'.repeat(i % 200) })), headers: {}, timestamp: String(ts + 5) })),
];
const codecs = [['none', 0], ['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]] as const;

function runClient(mode: 'produce' | 'consume', job: object): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [client, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`fast-path-client ${mode} exited ${code}: ${err}`))));
    child.stdin.end(JSON.stringify({ broker: kafkaEnv().broker, ...job }));
  });
}

/** Every message of the topics as kafkajs (no fast path: this test process) decodes them. */
async function readWithKafkajs(topics: string[], count: number): Promise<(Wire & { topic: string })[]> {
  const out: (Wire & { topic: string })[] = [];
  const consumer = kafka.kafka.consumer({ groupId: kafka.group('fast-path-reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const enc = (b: Buffer | null | undefined) => (b === null || b === undefined ? null : b.toString('base64'));
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`read ${out.length} of ${count} messages within 30 s`)), 30_000);
    consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => enc(x as Buffer)) : enc(v as Buffer)]));
          out.push({ topic: batch.topic, key: enc(m.key), value: enc(m.value), headers, timestamp: m.timestamp });
        }
        if (out.length >= count) { clearTimeout(timer); done(); }
      },
    }).catch(fail);
  });
  await consumer.disconnect();
  return out;
}

const expected = (topic: string) => messages.map((m) => ({ topic, ...m }));

describe('Kafka fast path against the broker', () => {
  it('what the fast path produces, kafkajs reads back unchanged (keys, nulls, headers, unicode, 900 kB, every codec)', async () => {
    const topics = await Promise.all(codecs.map(([name]) => kafka.topic(`fast-produce-${name}`, 1)));
    await runClient('produce', { topics: codecs.map(([, compression], i) => ({ topic: topics[i], compression, messages })) });
    const read = await readWithKafkajs(topics, messages.length * topics.length);
    for (const topic of topics) expect(read.filter((m) => m.topic === topic)).toEqual(expected(topic));
  });

  it('what kafkajs produces, the fast path reads back unchanged (every codec)', async () => {
    const topics = await Promise.all(codecs.map(([name]) => kafka.topic(`fast-consume-${name}`, 1)));
    const bytes = (v: string | null) => (v === null ? null : Buffer.from(v, 'base64'));
    for (const [i, [, compression]] of codecs.entries()) {
      await kafka.producer.send({
        topic: topics[i]!, compression, acks: -1,
        messages: messages.map((m) => ({
          key: bytes(m.key), value: bytes(m.value), timestamp: m.timestamp,
          headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => bytes(x)!) : bytes(v)!])),
        })),
      });
    }
    const read = JSON.parse(await runClient('consume', { group: kafka.group('fast-path-consume'), topics: topics.map((topic) => ({ topic, count: messages.length })) })) as (Wire & { topic: string; offset: string })[];
    for (const topic of topics) {
      const got = read.filter((m) => m.topic === topic);
      expect(got.map((m) => m.offset)).toEqual(messages.map((_, i) => String(i)));
      expect(got.map(({ topic: t, key, value, headers, timestamp }) => ({ topic: t, key, value, headers, timestamp }))).toEqual(expected(topic));
    }
  });
});
