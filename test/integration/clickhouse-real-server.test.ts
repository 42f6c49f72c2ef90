import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chCommand, chRows, openClickHouse, type OpenedClickHouse } from '../../native-connectors/sdk/clickhouse/open-clickhouse.js';
import { StreamingInsert } from '../../native-connectors/destination-clickhouse/streaming-insert.js';
import { requireEnv } from '../support/services.js';
import { clickhouseEnv, uniqueDatabase } from '../support/clickhouse.js';

// The HTTP path of the ClickHouse connectors against real server code: Debian's clickhouse-server 18.16
// (scripts/setup/clickhouse.sh starts it on 127.0.0.1:18123). It predates JSONCompactEachRow, DateTime64
// and the JSON type, so the connectors' tables are tested on the chDB engine; here the transport is: a
// streamed gzip INSERT body, compressed results, per-query settings and the old error message format.
const url = new URL(requireEnv('CLICKHOUSE18_URL'));
const endpoint = { host: url.hostname, port: Number(url.port), protocol: 'http' as const, username: clickhouseEnv().username, password: clickhouseEnv().password, database: 'default' };
const db = uniqueDatabase('ch18');
const o = { password: endpoint.password, doing: 'test' };
let ch: OpenedClickHouse;

beforeAll(async () => {
  ch = openClickHouse(endpoint, { application: 'airdock-test' });
  const ping = await ch.client.ping();
  if (!ping.success) throw new Error(`clickhouse-server 18.16 does not answer on ${url.origin}: run \`sudo bash scripts/ci-setup.sh\``);
  await chCommand(ch, `CREATE DATABASE ${db}`, o);
});
afterAll(async () => {
  await chCommand(ch, `DROP DATABASE IF EXISTS ${db}`, o).catch(() => {});
  await ch?.close();
});

describe('clickhouse-server 18.16 (real server code)', () => {
  it('takes a streamed gzip INSERT of 100,000 rows and answers compressed results', async () => {
    await chCommand(ch, `CREATE TABLE ${db}.t (id UInt64, s String, n Nullable(String)) ENGINE = MergeTree ORDER BY id`, o);
    const ins = new StreamingInsert(ch, `INSERT INTO ${db}.t (id, s, n) FORMAT JSONEachRow`, { max_insert_block_size: '50000' }, new AbortController().signal);
    for (let i = 0; i < 100_000; i++) {
      const wait = ins.write(`${JSON.stringify({ id: i, s: `s'"\\${i}é`, n: i % 2 ? null : 'x' })}\n`);
      if (wait) await wait;
    }
    await ins.end();
    // Old servers quote 64-bit integers in JSON: the connectors read both forms.
    const [r] = await chRows<{ c: string | number; nulls: string | number; s: string }>(ch, `SELECT count() AS c, countIf(isNull(n)) AS nulls, any(s) AS s FROM ${db}.t WHERE id = 7`, o);
    expect([Number(r!.c), Number(r!.nulls), r!.s]).toEqual([1, 1, `s'"\\7é`]);
    const [all] = await chRows<{ c: string | number }>(ch, `SELECT count() AS c FROM ${db}.t`, o);
    expect(Number(all!.c)).toBe(100_000);
  });

  it('maps its error messages (pre-19.x format) to typed errors', async () => {
    await expect(chRows(ch, `SELECT * FROM ${db}.missing`, o)).rejects.toMatchObject({ code: 'AIRDOCK_SERVICE_NOT_FOUND', context: { serverCode: 60 } });
    await expect(chCommand(ch, 'SELECT 1', { ...o, settings: { not_a_setting: 1 } as never })).rejects.toMatchObject({ code: 'AIRDOCK_SERVICE_SETTING', context: { setting: 'not_a_setting' } });
    const wrong = openClickHouse({ ...endpoint, password: 'not-it-123' }, { application: 'airdock-test' });
    try {
      const e = await chRows(wrong, 'SELECT 1', { password: 'not-it-123', doing: 'test' }).then(() => undefined, (x: unknown) => x as Error & { code: string; describe(): string });
      expect(e?.code).toBe('AIRDOCK_SERVICE_AUTH');
      expect(e?.describe()).not.toContain('not-it-123');
    } finally {
      await wrong.close();
    }
  });
});
