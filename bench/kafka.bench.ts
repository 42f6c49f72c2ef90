/**
 * Kafka connectors vs Kafka's own perf tools, on the same broker, alternating, same messages.
 *   destination: `destination-kafka write` fed from a file of faker purchases records (each message
 *                its official layout, ~370 B) vs ProducerPerformance with the same record size and the
 *                same producer settings (acks=1, linger.ms=0, batch.size=16384, no compression);
 *   source:      `source-kafka read | destination-dev-null`, and `source-kafka read | grep -c` (records
 *                counted), over the topic our destination wrote vs ConsumerPerformance on the same topic.
 * Also one end-to-end `source-faker | destination-kafka` run.
 * Needs the broker (scripts/setup/kafka.sh start, or npm test's setup) and `npm run build`; installs
 * kafka-tools from Maven Central on first use (scripts/setup/kafka.sh install-tools).
 *   node --import tsx bench/kafka.bench.ts [messages=2000000] [rounds=2]
 * Run it alone on the machine (under a lock of your own if others share it): two benchmarks at once measure each other.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import kafkajs from 'kafkajs';
import { requireEnv } from '../test/support/services.js';

const N = Number(process.argv[2] ?? 2_000_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const root = resolve(import.meta.dirname, '..');
const broker = requireEnv('AIRDOCK_TEST_KAFKA_BROKER');
const state = process.env.AIRDOCK_CI_STATE ?? '/var/lib/airdock-ci';
const version = requireEnv('AIRDOCK_TEST_KAFKA_VERSION');
const dir = mkdtempSync(join(tmpdir(), 'airdock-kafka-bench-'));
// Inputs and outputs here run to gigabytes: remove them however the run ends.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, v: unknown) => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };
const main = (name: string) => join(root, 'dist/native-connectors', name, 'main.js');
const stamp = Date.now().toString(36);

execFileSync('bash', [join(root, 'scripts/setup/kafka.sh'), 'install-tools'], { stdio: 'inherit' });
const toolsCp = `${state}/kafka-dist/tools-${version}/*`;
const log4j = join(dir, 'log4j2.properties');
writeFileSync(log4j, 'rootLogger.level = WARN\nrootLogger.appenderRef.out.ref = OUT\nappender.out.type = Console\nappender.out.name = OUT\nappender.out.target = SYSTEM_ERR\nappender.out.layout.type = PatternLayout\nappender.out.layout.pattern = %m%n\n');

const admin = new kafkajs.Kafka({ brokers: [broker], logLevel: kafkajs.logLevel.NOTHING }).admin();
await admin.connect();
const topics: string[] = [];
async function topic(name: string): Promise<string> {
  await admin.createTopics({ topics: [{ topic: name, numPartitions: 3 }], waitForLeaders: true });
  topics.push(name);
  return name;
}
/** Each round writes gigabytes to the broker's disk: its topics go when it ends, and on a failure. */
async function dropTopics(): Promise<void> {
  if (topics.length > 0) await admin.deleteTopics({ topics: topics.splice(0) });
}

/** Runs a command under /usr/bin/time; returns wall seconds, peak RSS (MB) and stdout. */
function run(cmd: string, args: string[], o: { stdin?: string; stdoutTo?: string } = {}): Promise<{ seconds: number; rssMb: number; stdout: string }> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args], { stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'inherit'] });
    if (o.stdin) createReadStream(o.stdin).pipe(child.stdin!);
    let out = '';
    if (o.stdoutTo) child.stdout!.pipe(createWriteStream(o.stdoutTo));
    else child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.on('error', fail);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) return fail(new Error(`${cmd} ${args.slice(0, 3).join(' ')} exited ${code}`));
      done({ seconds, rssMb: Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024, stdout: out });
    });
  });
}

// ---- input: faker purchases, as the runtime would pipe them (records plus faker's STATEs)
const fakerCatalog = { streams: [{ stream: { name: 'purchases', json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] };
const input = join(dir, 'input.jsonl');
await run(process.execPath, [main('source-faker'), 'read', '--config', file('faker.json', { count: N, seed: 7 }), '--catalog', file('fc.json', fakerCatalog)], { stdoutTo: input });
let messages = 0;
let sampled = 0;
let sampleBytes = 0;
for await (const l of createInterface({ input: createReadStream(input) })) {
  if (!l.startsWith('{"type":"RECORD"')) continue;
  messages++;
  // each message's value is the official layout (~130 B) around the record's data
  if (sampled < 10_000) { sampled++; sampleBytes += l.length - l.indexOf('"data":') - 9 + 130; }
}
const avgValue = Math.round(sampleBytes / sampled);
console.log(`input: ${messages} purchases records, message value ~${avgValue} B`);

const destConfig = (t: string) => ({
  bootstrap_servers: broker, topic_pattern: t, protocol: { security_protocol: 'PLAINTEXT' }, acks: '1', enable_idempotence: false,
  compression_type: 'none', batch_size: 16384, linger_ms: '0', max_in_flight_requests_per_connection: 5, client_dns_lookup: 'use_all_dns_ips',
  buffer_memory: '33554432', max_request_size: 1048576, retries: 5, socket_connection_setup_timeout_ms: '10000', socket_connection_setup_timeout_max_ms: '30000',
  max_block_ms: '60000', request_timeout_ms: 30000, delivery_timeout_ms: 120000, send_buffer_bytes: -1, receive_buffer_bytes: -1,
});
const java = (cls: string, args: string[]) => run('java', ['-Xmx512m', `-Dlog4j2.configurationFile=${log4j}`, '-cp', toolsCp, cls, ...args]);

interface Row { what: string; tool: string; round: number; messages: number; seconds: number; msgPerSec: number; mbPerSec: number; rssMb: number }
const rows: Row[] = [];
const add = (what: string, tool: string, round: number, seconds: number, rssMb: number, msgPerSec = messages / seconds, mbPerSec = (messages * avgValue) / seconds / 1e6) =>
  rows.push({ what, tool, round, messages, seconds, msgPerSec, mbPerSec, rssMb });

try {
  for (let round = 1; round <= ROUNDS; round++) {
    // destination vs ProducerPerformance
    const ours = await topic(`airdock_bench_${stamp}_dest_${round}`);
    const d = await run(process.execPath, [main('destination-kafka'), 'write', '--config', file(`d${round}.json`, destConfig(ours)), '--catalog', file('fc2.json', { ...fakerCatalog })], { stdin: input });
    add('produce', 'native:destination-kafka', round, d.seconds, d.rssMb);
    const refTopic = await topic(`airdock_bench_${stamp}_pp_${round}`);
    const pp = await java('org.apache.kafka.tools.ProducerPerformance', ['--topic', refTopic, '--num-records', String(messages), '--record-size', String(avgValue), '--throughput', '-1',
      '--producer-props', `bootstrap.servers=${broker}`, 'acks=1', 'linger.ms=0', 'batch.size=16384', 'compression.type=none']);
    const ppLine = pp.stdout.trim().split('\n').pop()!;
    const ppRate = /([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(ppLine)!;
    add('produce', 'ProducerPerformance', round, pp.seconds, pp.rssMb, Number(ppRate[1]), Number(ppRate[2]) * 1.048576);

    // source vs ConsumerPerformance, both over the topic our destination wrote
    const srcConfig = { bootstrap_servers: broker, protocol: { security_protocol: 'PLAINTEXT' }, subscription: { subscription_type: 'subscribe', topic_pattern: ours }, group_id: `airdock-bench-${stamp}-${round}`, auto_offset_reset: 'earliest', max_records_process: messages + 1 };
    const srcCatalog = { streams: [{ stream: { name: ours, json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append' }] };
    const s = await run('bash', ['-c', `"${process.execPath}" "${main('source-kafka')}" read --config "${file(`s${round}.json`, srcConfig)}" --catalog "${file(`sc${round}.json`, srcCatalog)}" | "${process.execPath}" "${main('destination-dev-null')}" write --config "${file('dn.json', { test_destination: { test_destination_type: 'SILENT' } })}" --catalog "${file(`sc${round}.json`, srcCatalog)}" >/dev/null`]);
    add('consume', 'native:source-kafka | dev-null', round, s.seconds, NaN);
    // counted, so a read that stops early cannot pass for a fast one
    const countFile = join(dir, `count-${round}`);
    const s2 = await run('bash', ['-c', `/usr/bin/time -f %M -o "${countFile}.rss" "${process.execPath}" "${main('source-kafka')}" read --config "${file(`s${round}b.json`, { ...srcConfig, group_id: `airdock-bench-${stamp}-${round}b` })}" --catalog "${file(`sc${round}.json`, srcCatalog)}" | grep -c '"type":"RECORD"' > "${countFile}"`]);
    const counted = Number(readFileSync(countFile, 'utf8').trim());
    if (counted !== messages) throw new Error(`source-kafka emitted ${counted} records, expected ${messages}`);
    add('consume', 'native:source-kafka | grep -c', round, s2.seconds, Number(readFileSync(`${countFile}.rss`, 'utf8').trim().split('\n').pop()) / 1024);
    const cp = await java('org.apache.kafka.tools.ConsumerPerformance', ['--bootstrap-server', broker, '--topic', ours, '--messages', String(messages), '--group', `airdock-bench-${stamp}-cp-${round}`, '--timeout', '60000']);
    const cols = cp.stdout.trim().split('\n').pop()!.split(',').map((c) => c.trim());
    // start, end, MB, MB/s, nMsg, nMsg/s, rebalance ms, fetch ms, fetch MB/s, fetch nMsg/s: the whole run, as ours is timed
    add('consume', 'ConsumerPerformance', round, cp.seconds, cp.rssMb, Number(cols[5]), Number(cols[3]) * 1.048576);
    await dropTopics();
  }

  // one end-to-end run: faker generating while the destination produces
  const e2eTopic = await topic(`airdock_bench_${stamp}_e2e`);
  const e2e = await run('bash', ['-c', `"${process.execPath}" "${main('source-faker')}" read --config "${join(dir, 'faker.json')}" --catalog "${join(dir, 'fc.json')}" | "${process.execPath}" "${main('destination-kafka')}" write --config "${file('de.json', destConfig(e2eTopic))}" --catalog "${join(dir, 'fc.json')}" >/dev/null`]);
  add('faker → Kafka', 'source-faker | destination-kafka', 1, e2e.seconds, NaN);
} finally {
  await dropTopics();
  await admin.disconnect();
}

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
console.log(`\n${new Date().toISOString()}  load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}  messages ${messages} × ~${avgValue} B\n`);
console.log('| what | program | round | seconds | messages/s | MB/s | peak RSS MB |\n|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.tool} | ${r.round} | ${f(r.seconds, 1)} | ${f(r.msgPerSec)} | ${f(r.mbPerSec, 1)} | ${f(r.rssMb)} |`);
const best = (what: string, tool: string) => Math.max(...rows.filter((r) => r.what === what && r.tool === tool).map((r) => r.msgPerSec));
console.log(`\nbest-of ratio: destination / ProducerPerformance = ${(best('produce', 'native:destination-kafka') / best('produce', 'ProducerPerformance')).toFixed(2)}×, ` +
  `source / ConsumerPerformance = ${(best('consume', 'native:source-kafka | grep -c') / best('consume', 'ConsumerPerformance')).toFixed(2)}× (into dev-null: ${(best('consume', 'native:source-kafka | dev-null') / best('consume', 'ConsumerPerformance')).toFixed(2)}×)`);
