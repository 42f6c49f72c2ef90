import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTargetCommand } from '../../native-connectors/sdk/testing/index.js';
import { clickhouseEnv, destinationConfig, destinationWrite, rows, startDestinationWrite, useClickHouseDatabases } from '../support/clickhouse.js';

// The state barrier, settings, compression and error mapping of native:destination-clickhouse, seen from
// outside: the process, the server's tables, and (through a recording proxy of the test's own on loopback)
// the HTTP requests it sends.
const root = resolve(import.meta.dirname, '../..');
const mainJs = join(root, 'dist/native-connectors/destination-clickhouse/main.js');
const destination = { kind: 'command' as const, argv: [process.execPath, mainJs] };
const { ch: client, newDb } = useClickHouseDatabases();

const rec = (id: number, v = 'v') => JSON.stringify({ type: 'RECORD', record: { stream: 'k', emitted_at: 1_700_000_000_000 + id, data: { id, v, at: `2024-01-01T00:00:${String(id % 60).padStart(2, '0')}Z` } } });
const state = (n: number) => JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'k' }, stream_state: { upto: n } } } });
const catalog = (mode: 'append' | 'append_dedup') => ({
  streams: [{
    stream: { name: 'k', json_schema: { type: 'object', properties: { id: { type: 'integer' }, v: { type: 'string' }, at: { type: 'string', format: 'date-time' } } }, supported_sync_modes: ['full_refresh', 'incremental'] },
    sync_mode: 'incremental', destination_sync_mode: mode, primary_key: [['id']], cursor_field: ['id'], generation_id: 1, minimum_generation_id: 0, sync_id: 1,
  }],
});

const startWrite = startDestinationWrite;
const write = destinationWrite;

const traceError = (out: string[]) => out.map((l) => JSON.parse(l)).find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR')?.trace.error as { message: string; failure_type: string } | undefined;

/**
 * A recording HTTP proxy in front of the test server: keeps each request's headers and URL, and can hold
 * the response of INSERTs (to show a STATE waits for the acknowledgement) or cut an INSERT's connection.
 */
async function startProxy(o: { holdInsertsMs?: number } = {}) {
  const target = new URL(clickhouseEnv().url);
  const seen: { url: string; headers: http.IncomingHttpHeaders; responseEncoding?: string; insert: boolean }[] = [];
  const server = http.createServer((req, res) => {
    const entry = { url: req.url ?? '', headers: req.headers, insert: new URL(req.url ?? '/', 'http://x').searchParams.get('query')?.startsWith('INSERT') === true };
    seen.push(entry);
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      (entry as { responseEncoding?: string }).responseEncoding = ur.headers['content-encoding'];
      const send = () => { res.writeHead(ur.statusCode ?? 502, ur.headers); ur.pipe(res); };
      if (entry.insert && o.holdInsertsMs) setTimeout(send, o.holdInsertsMs);
      else send();
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { port, seen, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describe('native:destination-clickhouse state barrier', () => {
  it('echoes a STATE only after the insert holding the records before it is acknowledged', async () => {
    const db = newDb('dst_barrier');
    const proxy = await startProxy({ holdInsertsMs: 1500 });
    try {
      const w = startWrite(destinationConfig(db, { port: String(proxy.port), flush_interval_ms: 0 }), catalog('append'));
      const started = Date.now();
      w.child.stdin.write(`${Array.from({ length: 100 }, (_, i) => rec(i + 1)).join('\n')}\n${state(100)}\n`);
      await w.waitFor((l) => l.some((x) => x.includes('"STATE"')));
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      // When the echo arrives, the rows before it are in the table.
      expect(await rows(client(), `SELECT count() AS n FROM ${db}.k`)).toEqual([{ n: 100 }]);
      w.child.stdin.end();
      expect(await w.done, w.err()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('a kill in the middle of inserting, then a resume from the last echoed STATE: dedup leaves each key once', async () => {
    const db = newDb('dst_kill');
    const N = 30_000;
    // Small batches so that several inserts are acknowledged (and states echoed) before the kill.
    const config = destinationConfig(db, { record_window_size: 2000, flush_interval_ms: 0 });
    const lines: string[] = [];
    for (let i = 1; i <= N; i++) {
      lines.push(rec(i));
      if (i % 1000 === 0) lines.push(state(i));
    }
    const w = startWrite(config, catalog('append_dedup'));
    w.child.stdin.write(`${lines.join('\n')}\n`);
    await w.waitFor((l) => l.filter((x) => x.includes('"STATE"')).length >= 3);
    w.child.kill('SIGKILL');
    await w.done;
    const echoed = w.out.filter((x) => x.includes('"STATE"')).map((x) => JSON.parse(x).state.stream.stream_state.upto as number);
    const upto = Math.max(...echoed);
    expect(upto).toBeLessThan(N);
    // Every acknowledged record is there.
    expect((await rows<{ n: number }>(client(), `SELECT count() AS n FROM ${db}.k FINAL WHERE id <= ${upto}`))[0]!.n).toBe(upto);
    // The source resumes after the last echoed state; what the killed run inserted past it comes again.
    const resumed = await write(config, catalog('append_dedup'), lines.slice(lines.indexOf(state(upto)) + 1));
    expect(resumed.code, resumed.err).toBe(0);
    expect(await rows(client(), `SELECT count() AS n, uniqExact(id) AS ids, min(id) AS lo, max(id) AS hi FROM ${db}.k FINAL`)).toEqual([{ n: N, ids: N, lo: 1, hi: N }]);
  });
});

describe('native:destination-clickhouse settings and compression', () => {
  it('compresses request bodies and responses with gzip by default; compression none sends plain bodies', async () => {
    const proxy = await startProxy();
    try {
      const db = newDb('dst_gzip');
      const config = destinationConfig(db, { port: String(proxy.port) });
      expect((await write(config, catalog('append'), [rec(1), rec(2), state(2)])).code).toBe(0);
      // The second sync reads the table's columns back: a response with a body, compressed.
      expect((await write(config, catalog('append'), [rec(3)])).code).toBe(0);
      const insert = proxy.seen.find((s) => s.insert)!;
      expect(insert.headers['content-encoding']).toBe('gzip');
      expect(new URL(insert.url, 'http://x').searchParams.get('enable_http_compression')).toBe('1');
      expect(proxy.seen.some((s) => s.responseEncoding === 'gzip')).toBe(true);
      proxy.seen.length = 0;
      const db2 = newDb('dst_plain');
      expect((await write(destinationConfig(db2, { port: String(proxy.port), compression: 'none' }), catalog('append'), [rec(1)])).code).toBe(0);
      expect(proxy.seen.find((s) => s.insert)!.headers['content-encoding']).toBeUndefined();
      expect(await rows(client(), `SELECT count() AS n FROM ${db}.k`)).toEqual([{ n: 3 }]);
    } finally {
      await proxy.close();
    }
  });

  it('sends clickhouse_settings and the insert extras with the queries', async () => {
    const proxy = await startProxy();
    try {
      const db = newDb('dst_settings');
      const config = destinationConfig(db, { port: String(proxy.port), clickhouse_settings: { insert_deduplicate: 0, async_insert: 1 }, insert_block_size: 5000, max_insert_threads: 2 });
      const r = await write(config, catalog('append'), [rec(1), rec(2), state(2)]);
      expect(r.code, r.err).toBe(0);
      const insert = new URL(proxy.seen.find((s) => s.insert)!.url, 'http://x').searchParams;
      expect(Object.fromEntries(['insert_deduplicate', 'async_insert', 'wait_for_async_insert', 'max_insert_block_size', 'max_insert_threads'].map((k) => [k, insert.get(k)])))
        .toEqual({ insert_deduplicate: '0', async_insert: '1', wait_for_async_insert: '1', max_insert_block_size: '5000', max_insert_threads: '2' });
      // DDL and metadata queries carry them too (per query, not per session: the server has no session).
      const others = proxy.seen.filter((s) => !s.insert).map((s) => new URL(s.url, 'http://x').searchParams.get('insert_deduplicate'));
      expect(others.filter((v) => v === '0').length).toBeGreaterThan(2);
      expect(await rows(client(), `SELECT count() AS n FROM ${db}.k`)).toEqual([{ n: 2 }]);
    } finally {
      await proxy.close();
    }
  });

  it('a setting the server does not know fails check and write as a config error naming it', async () => {
    const db = newDb('dst_unknown');
    const config = destinationConfig(db, { clickhouse_settings: { max_memory_usage: 10_000_000_000, not_a_real_setting: 1 } });
    const c = await runTargetCommand(destination, 'check', { config });
    const status = c.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!;
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/AIRDOCK_SERVICE_SETTING.*not_a_real_setting/);
    expect(status.message).not.toMatch(/max_memory_usage/);
    const w = await write(config, catalog('append'), [rec(1)]);
    expect(w.code).toBe(1);
    expect(traceError(w.out)).toMatchObject({ failure_type: 'config_error' });
  });

  it('async_insert with wait_for_async_insert=0 is refused: the state barrier needs the wait', async () => {
    const c = await runTargetCommand(destination, 'check', { config: destinationConfig(newDb('dst_async'), { clickhouse_settings: { async_insert: 1, wait_for_async_insert: 0 } }) });
    expect(c.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!.message).toMatch(/wait_for_async_insert/);
  });

  it('a query setting changes what the server does: a tiny max_query_size fails the first DDL', async () => {
    const w = await write(destinationConfig(newDb('dst_qsize'), { clickhouse_settings: { max_query_size: 10 } }), catalog('append'), [rec(1), state(1)]);
    expect(w.code).toBe(1);
    expect(w.out.some((l) => l.includes('"STATE"'))).toBe(false);
    expect(traceError(w.out)).toMatchObject({ failure_type: 'system_error' });
    expect(traceError(w.out)!.message).toMatch(/AIRDOCK_SERVICE_QUERY.*serverCode=62.*max_query_size/);
  });
});

describe('native:destination-clickhouse errors', () => {
  it('a wrong password is a config error, and no output shows the password', async () => {
    const c = await runTargetCommand(destination, 'check', { config: destinationConfig(newDb('dst_auth'), { password: 'wrong-password-123' }) });
    const status = c.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus!;
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/AIRDOCK_SERVICE_AUTH/);
    expect(c.rawLines.join('\n') + c.stderr).not.toContain('wrong-password-123');
  });

  it('an unreachable server is a transient error; an SSH tunnel is a config error', async () => {
    const down = await write(destinationConfig(newDb('dst_down'), { port: '1' }), catalog('append'), [rec(1)]);
    expect(down.code).toBe(1);
    expect(traceError(down.out)).toMatchObject({ failure_type: 'transient_error' });
    const tunnel = await write(destinationConfig(newDb('dst_tunnel'), { tunnel_method: { tunnel_method: 'SSH_KEY_AUTH', tunnel_host: 'h', tunnel_port: 22, tunnel_user: 'u', ssh_key: 'k' } }), catalog('append'), [rec(1)]);
    expect(traceError(tunnel.out)).toMatchObject({ failure_type: 'config_error' });
  });
});
