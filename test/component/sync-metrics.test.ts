import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeConnection, runSyncCli } from '../support/sync-harness.js';
import { parseProm, samples, value, type PromFamily } from '../support/prom-text.js';

// Real syncs (bin/airdock, the process backend, the fixture connectors), their metrics read back by a
// Prometheus text-format parser that is not ours, every value compared with the --json-summary.

/** Every metric a sync writes equals the summary of the same run. */
function expectMetricsEqualSummary(m: PromFamily[], connection: string, summary: any): void {
  for (const s of summary.streams) {
    const l = { connection, stream: s.name, namespace: s.namespace ?? '' };
    expect(value(m, 'airdock_records_emitted_total', l)).toBe(s.recordsEmitted);
    expect(value(m, 'airdock_bytes_emitted_total', l)).toBe(s.bytesEmitted);
    expect(value(m, 'airdock_records_committed_total', l)).toBe(s.recordsCommitted);
    expect(value(m, 'airdock_bytes_committed_total', l)).toBe(s.bytesCommitted);
  }
  expect(value(m, 'airdock_states_committed_total', { connection })).toBe(summary.statesCommitted);
  expect(value(m, 'airdock_sync_attempts_total', { connection })).toBe(summary.attempts);
  expect(value(m, 'airdock_syncs_total', { connection, status: summary.status })).toBe(1);
  const failures = samples(m, 'airdock_sync_failures_total', { connection });
  expect(failures.map((f) => ({ origin: f.labels.origin, failureType: f.labels.failure_type, n: f.value })))
    .toEqual(summary.failures.map((f: any) => ({ origin: f.origin, failureType: f.failureType, n: 1 })));
  const duration = { connection, status: summary.status };
  expect(value(m, 'airdock_sync_duration_seconds_count', duration)).toBe(1);
  expect(value(m, 'airdock_sync_duration_seconds_sum', duration)).toBeCloseTo(summary.durationMs / 1000, 6);
  if (summary.status === 'succeeded') expect(value(m, 'airdock_last_success_timestamp_seconds', { connection })).toBe(Date.parse(summary.endedAt) / 1000);
  for (const side of ['source', 'destination']) {
    const starts = summary.connectorStarts.filter((s: any) => s.side === side);
    expect(value(m, 'airdock_connector_start_seconds_count', { connection, side })).toBe(starts.length);
    expect(value(m, 'airdock_connector_start_seconds_sum', { connection, side })).toBeCloseTo(starts.reduce((a: number, s: any) => a + s.ms, 0) / 1000, 6);
  }
  expect(value(m, 'airdock_state_commit_lag_seconds_count', { connection })).toBe(summary.commitLag.count);
  expect(value(m, 'airdock_state_commit_lag_seconds_sum', { connection })).toBeCloseTo(summary.commitLag.sumMs / 1000, 6);
  expect(value(m, 'airdock_process_cpu_seconds_total', { connection })).toBeCloseTo(summary.process.cpuSeconds, 6);
  expect(value(m, 'airdock_process_max_resident_memory_bytes', { connection })).toBe(summary.process.maxRssBytes);
}

describe('sync metrics', () => {
  const servers: { close(): void }[] = [];
  afterAll(() => { for (const s of servers) s.close(); });

  it('--metrics-file: a textfile-collector file whose values equal the summary, after a retried sync', async () => {
    const c = makeConnection({ count: 12, state_every: 5 }, { crash_after_acks: 4, once_file: 'ONCE' }, { retry: { attempts: 3, base_delay_ms: 20 } });
    const file = join(c.dir, 'airdock.prom');
    const run = await runSyncCli(c.file, c.dir, { args: ['--metrics-file', file] });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ status: 'succeeded', attempts: 2, failures: [{ attempt: 1, origin: 'destination', failureType: 'transient_error' }] });
    expect(run.summary.commitLag.count).toBe(run.summary.statesCommitted);
    // Stream b was read again after the retry: emitted more than committed, by the bytes of attempt 1's lost tail.
    expect(run.summary.streams.map((s: any) => s.bytesCommitted < s.bytesEmitted)).toEqual([false, true]);
    expectMetricsEqualSummary(parseProm(readFileSync(file, 'utf8')), c.name, run.summary);
    // Written whole by a rename: no temp file beside it, and readable by the collector.
    expect(readdirSync(c.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(statSync(file).mode & 0o044).toBe(0o044);
  });

  it('--metrics-push: PUT to the Pushgateway group of the connection; a gateway that fails is reported and fails the run', async () => {
    const pushes: { method: string; url: string; body: string }[] = [];
    let status = 200;
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        pushes.push({ method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(status).end(status === 200 ? '' : 'gateway says no');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const c = makeConnection({ count: 7, state_every: 3 }, {});
    const run = await runSyncCli(c.file, c.dir, { args: ['--metrics-push', url] });
    expect(run.code, run.stderr).toBe(0);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ method: 'PUT', url: `/metrics/job/airdock/connection/${c.name}` });
    expectMetricsEqualSummary(parseProm(pushes[0]!.body), c.name, run.summary);

    status = 500;
    const again = await runSyncCli(c.file, c.dir, { args: ['--metrics-push', url] });
    expect(again.summary).toMatchObject({ status: 'succeeded' });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error AIRDOCK_METRICS_OUTPUT: The metrics could not be pushed \(host="127\.0\.0\.1:\d+", status=500\)/);
  });

  it('a sync that fails before its first attempt is counted as a failed sync', async () => {
    const c = makeConnection({ count: 3 }, {}, { source: { connector: './does-not-exist', config: {} } });
    const file = join(c.dir, 'airdock.prom');
    const run = await runSyncCli(c.file, c.dir, { args: ['--metrics-file', file] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The connector program does not exist');
    const m = parseProm(readFileSync(file, 'utf8'));
    expect(value(m, 'airdock_syncs_total', { connection: c.name, status: 'failed' })).toBe(1);
    expect(samples(m, 'airdock_sync_failures_total', { connection: c.name }).map((f) => f.labels)).toEqual([
      { connection: c.name, origin: 'runtime', failure_type: 'config_error' },
    ]);
    expect(samples(m, 'airdock_last_success_timestamp_seconds')).toEqual([]);
  });
});
