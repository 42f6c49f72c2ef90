import { join, resolve } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AirbyteMessage } from '../../protocol/index.js';
import { describeSourceConformance, runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { requireClickHouse, sourceConfig, uniqueDatabase } from '../support/clickhouse.js';

// native:source-clickhouse as the runtime launches it (a process; `npm run build` first), against the
// ClickHouse engine the CI setup serves on 127.0.0.1:8123.
const root = resolve(import.meta.dirname, '../..');
const source = { kind: 'command' as const, argv: [process.execPath, join(root, 'dist/native-connectors/source-clickhouse/main.js')] };
const db = uniqueDatabase('src');
const N = 25_000;
let ch: ClickHouseClient;

beforeAll(async () => {
  ch = await requireClickHouse();
  await ch.command({ query: `CREATE DATABASE ${db}` });
  await ch.command({ query: `CREATE TABLE ${db}.events (id UInt64, name Nullable(String), amount Decimal(18,4), at DateTime64(3, 'UTC'), tags Array(String), big Int64, flag Bool) ENGINE = MergeTree ORDER BY id` });
  // Every 7 rows share a timestamp, so checkpoints have to wait for the end of a cursor value.
  await ch.command({ query: `INSERT INTO ${db}.events SELECT number + 1, if(number % 5 = 0, NULL, concat('n', toString(number))), number / 4, toDateTime64('2024-01-01 00:00:00', 3, 'UTC') + intDiv(number, 7), [toString(number % 3)], if(number = 0, 9223372036854775807, -number), number % 2 = 0 FROM numbers(${N})` });
  await ch.command({ query: `CREATE TABLE ${db}.small (k String, v Nullable(Float64)) ENGINE = MergeTree ORDER BY k` });
  await ch.command({ query: `INSERT INTO ${db}.small VALUES ('a', 1.5), ('b', NULL)` });
});
afterAll(async () => {
  await ch?.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch?.close();
});

describeSourceConformance('native:source-clickhouse (process)', source, { config: sourceConfig(db) });

const records = (ms: AirbyteMessage[]) => ms.filter((m) => m.type === 'RECORD').map((m) => m.record!);
const states = (ms: AirbyteMessage[]) => ms.filter((m) => m.type === 'STATE').map((m) => m.state!);

async function catalogFor(sync: 'full_refresh' | 'incremental') {
  const r = await runTargetCommand(source, 'discover', { config: sourceConfig(db) });
  const stream = r.messages.find((m) => m.type === 'CATALOG')!.catalog!.streams.find((s) => s.name === 'events')!;
  return { streams: [{ stream, sync_mode: sync, destination_sync_mode: 'append', ...(sync === 'incremental' ? { cursor_field: ['at'] } : {}) }] };
}

describe('native:source-clickhouse', () => {
  it('discovers one stream per table with typed schemas and the sorting key as primary key', async () => {
    const r = await runTargetCommand(source, 'discover', { config: sourceConfig(db) });
    const streams = r.messages.find((m) => m.type === 'CATALOG')!.catalog!.streams;
    expect(streams.map((s) => s.name).sort()).toEqual(['events', 'small']);
    const events = streams.find((s) => s.name === 'events')!;
    expect(events.namespace).toBe(db);
    expect(events.source_defined_primary_key).toEqual([['id']]);
    expect((events.json_schema as { properties: unknown }).properties).toEqual({
      id: { type: 'integer' }, name: { type: ['null', 'string'] }, amount: { type: 'number' },
      at: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' }, tags: { type: 'array', items: { type: 'string' } },
      big: { type: 'integer' }, flag: { type: 'boolean' },
    });
  });

  it('full refresh streams every row with exact 64-bit integers and ISO timestamps', async () => {
    const r = await runTargetCommand(source, 'read', { config: sourceConfig(db), catalog: await catalogFor('full_refresh') });
    expect(r.exitCode, r.stderr).toBe(0);
    const recs = records(r.messages);
    expect(recs).toHaveLength(N);
    const first = r.rawLines.find((l) => l.includes('"id":1,'))!;
    expect(first).toContain('"big":9223372036854775807');
    expect(recs.find((x) => x.data.id === 2)!.data).toEqual({ id: 2, name: 'n1', amount: 0.25, at: '2024-01-01T00:00:00.000Z', tags: ['1'], big: -1, flag: false });
    expect(recs.every((x) => x.namespace === db)).toBe(true);
    expect(states(r.messages)).toHaveLength(0);
  });

  it('incremental reads checkpoint at cursor boundaries and resume strictly after the saved cursor', async () => {
    const catalog = await catalogFor('incremental');
    const full = await runTargetCommand(source, 'read', { config: sourceConfig(db), catalog });
    expect(full.exitCode, full.stderr).toBe(0);
    expect(records(full.messages)).toHaveLength(N);
    const saved = states(full.messages);
    expect(saved.length).toBeGreaterThanOrEqual(3); // every 10k records and at the end
    const ids = records(full.messages).map((x) => x.data.id as number);
    expect(ids.slice(0, 3)).toEqual([1, 2, 3]);

    // Resume from the first checkpoint: exactly the rows after its cursor value, none twice.
    const mid = saved[0]!;
    const cursor = (mid.stream!.stream_state as { cursor: string }).cursor;
    const seenBefore = full.messages.indexOf(full.messages.find((m) => m.type === 'STATE')!);
    const emittedBefore = records(full.messages.slice(0, seenBefore)).length;
    const resumed = await runTargetCommand(source, 'read', { config: sourceConfig(db), catalog, state: [mid] });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(records(resumed.messages)).toHaveLength(N - emittedBefore);
    expect(records(resumed.messages).every((x) => (x.data.at as string) > cursor.replace(' ', 'T'))).toBe(true);

    // Nothing new: nothing read, the state is kept.
    const last = saved.at(-1)!;
    const again = await runTargetCommand(source, 'read', { config: sourceConfig(db), catalog, state: [last] });
    expect(records(again.messages)).toHaveLength(0);
    expect(states(again.messages).at(-1)!.stream!.stream_state).toEqual(last.stream!.stream_state);

    // New rows after the cursor are picked up.
    await ch.command({ query: `INSERT INTO ${db}.events SELECT ${N} + number + 1, 'new', 0, toDateTime64('2030-01-01 00:00:00', 3, 'UTC'), [], 0, true FROM numbers(3)` });
    const more = await runTargetCommand(source, 'read', { config: sourceConfig(db), catalog, state: [last] });
    expect(records(more.messages).map((x) => x.data.name)).toEqual(['new', 'new', 'new']);
    await ch.command({ query: `DELETE FROM ${db}.events WHERE id > ${N}` });
  });

  it('a wrong password fails check as a config error that does not show the password', async () => {
    const r = await runTargetCommand(source, 'check', { config: sourceConfig(db, { password: 'not-the-password-42' }) });
    expect(r.exitCode).toBe(0);
    const status = r.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!;
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/AIRDOCK_SERVICE_AUTH/);
    expect(r.rawLines.join('\n')).not.toContain('not-the-password-42');
  });

  it('an unknown database fails check; an unreachable server is a transient error', async () => {
    const missing = await runTargetCommand(source, 'check', { config: sourceConfig(`${db}_missing`) });
    expect(missing.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!.status).toBe('FAILED');
    const down = await runTargetCommand(source, 'read', { config: sourceConfig(db, { port: 1 }), catalog: await catalogFor('full_refresh') });
    expect(down.exitCode).toBe(1);
    const trace = down.messages.find((m) => m.type === 'TRACE' && m.trace!.type === 'ERROR')!.trace!.error!;
    expect(trace.failure_type).toBe('transient_error');
    expect(trace.message).toMatch(/AIRDOCK_SERVICE_UNAVAILABLE/);
  });
});
