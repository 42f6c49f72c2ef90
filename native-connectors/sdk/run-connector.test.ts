import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '../../protocol/index.js';
import { defineSource } from './define-source.js';
import { Emitter } from './emitter.js';
import { runTargetCommand } from './testing/index.js';

const spec = { connectionSpecification: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } };
const source = defineSource<{ n: number }>({
  spec,
  async check(c) { if (c.n < 0) throw new ConfigValidationError([{ path: '/n', message: 'must be >= 0' }]); },
  async discover() { return { streams: [{ name: 's', json_schema: { type: 'object', properties: { i: { type: 'integer' } } }, supported_sync_modes: ['full_refresh'] }] }; },
  async read(c, _cat, _s, { emit }) {
    for (let i = 0; i < c.n; i++) await emit.record('s', { i });
    if (c.n === 13) throw new Error('boom');
  },
});
const target = { kind: 'definition' as const, definition: source };
const traceOf = (r: Awaited<ReturnType<typeof runTargetCommand>>) => r.messages.find((m) => m.type === 'TRACE')?.trace?.error;

describe('runConnector', () => {
  it('turns a missing config file into a config_error TRACE and exit 1', async () => {
    const r = await runTargetCommand(target, 'discover', {});
    expect(r.exitCode).toBe(1);
    expect(traceOf(r)?.failure_type).toBe('config_error');
  });

  it('validates the config against the spec before calling the connector', async () => {
    const r = await runTargetCommand(target, 'discover', { config: { n: 'x' } });
    expect(r.exitCode).toBe(1);
    expect(traceOf(r)?.failure_type).toBe('config_error');
    expect(traceOf(r)?.message).not.toContain('"x"');
  });

  it('reports a failed check as CONNECTION_STATUS FAILED with exit 0', async () => {
    const r = await runTargetCommand(target, 'check', { config: { n: -1 } });
    expect(r.exitCode).toBe(0);
    expect(r.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.status).toBe('FAILED');
  });

  it('keeps records emitted before a failure and ends with a system_error', async () => {
    const r = await runTargetCommand(target, 'read', { config: { n: 13 }, catalog: { streams: [] } });
    expect(r.exitCode).toBe(1);
    expect(r.messages.filter((m) => m.type === 'RECORD')).toHaveLength(13);
    expect(traceOf(r)?.failure_type).toBe('system_error');
  });

  it('rejects a command the connector does not have', async () => {
    const r = await runTargetCommand(target, 'write', { config: { n: 1 } });
    expect(r.exitCode).toBe(1);
  });
});

describe('Emitter', () => {
  it('waits for drain instead of buffering without bound', async () => {
    let written = 0;
    let release: (() => void) | undefined;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _e, cb) { written += chunk.length; release = cb; },
    });
    const emit = new Emitter(slow);
    let emitted = 0;
    const producer = (async () => {
      for (let i = 0; i < 100_000; i++) {
        const w = emit.recordLine('s', '{"x":"0123456789012345678901234567890123456789"}');
        emitted++;
        if (w) await w;
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    // The consumer has taken one chunk and not acknowledged it: the producer must be parked.
    expect(written).toBeLessThan(200 * 1024);
    expect(emitted).toBeLessThan(3000);
    const pump = setInterval(() => { const r = release; release = undefined; r?.(); }, 0);
    await producer;
    await emit.flush();
    clearInterval(pump);
    expect(emitted).toBe(100_000);
  });
});

describe('Emitter states and pre-encoded records', () => {
  const collect = () => {
    const chunks: Buffer[] = [];
    const out = new Writable({ write(c: Buffer, _e, cb) { chunks.push(Buffer.from(c)); cb(); } });
    return { out, lines: () => Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
  };

  it('writes recordBytes after buffered messages and counts its records in the next state', async () => {
    const { out, lines } = collect();
    const emit = new Emitter(out);
    emit.log('INFO', 'before');
    const line = '{"type":"RECORD","record":{"stream":"s","namespace":"n","emitted_at":1,"data":{"a":1}}}\n';
    await emit.recordBytes('s', Buffer.from(line + line), 2, 'n');
    emit.streamState('s', { c: 1 }, 'n');
    await emit.flush();
    const got = lines();
    expect(got.map((m) => m.type)).toEqual(['LOG', 'RECORD', 'RECORD', 'STATE']);
    expect(got[3].state.sourceStats.recordCount).toBe(2);
  });

  it('calls recordBytes\' written callback only once stdout is done with the bytes', async () => {
    const chunks: Buffer[] = [];
    const pending: (() => void)[] = [];
    // A stdout that takes its time: each write completes only when the test says so.
    const out = new Writable({ highWaterMark: 4, write(c: Buffer, _e, cb) { pending.push(() => { chunks.push(Buffer.from(c)); cb(); }); } });
    const emit = new Emitter(out);
    const lines = Buffer.from('{"type":"RECORD","record":{"stream":"s","emitted_at":1,"data":{}}}\n');
    let written = false;
    const wait = emit.recordBytes('s', lines, 1, undefined, () => { written = true; });
    expect(wait).toBeInstanceOf(Promise);
    await new Promise((r) => setImmediate(r));
    expect(written).toBe(false);
    pending.shift()!();
    await wait;
    await new Promise((r) => setImmediate(r));
    expect(written).toBe(true);
    expect(Buffer.concat(chunks)).toEqual(lines);
  });

  it('builds GLOBAL states counting the records of every stream since the last state', async () => {
    const { out, lines } = collect();
    const emit = new Emitter(out);
    emit.record('a', { x: 1 }, 'n');
    emit.record('b', { x: 2 }, 'n');
    emit.globalState({ lsn: '0/1' }, [{ name: 'a', namespace: 'n', state: {} }, { name: 'b', state: { k: 1 } }]);
    emit.globalState({ lsn: '0/2' }, []);
    await emit.flush();
    const states = lines().filter((m) => m.type === 'STATE').map((m) => m.state);
    expect(states[0]).toEqual({
      type: 'GLOBAL',
      global: { shared_state: { lsn: '0/1' }, stream_states: [{ stream_descriptor: { name: 'a', namespace: 'n' }, stream_state: {} }, { stream_descriptor: { name: 'b' }, stream_state: { k: 1 } }] },
      sourceStats: { recordCount: 2 },
    });
    expect(states[1].sourceStats.recordCount).toBe(0);
  });
});
