import { expect, it } from 'vitest';
import { parseJson, type AirbyteStateMessage } from '../../protocol/index.js';
import type { StateStore } from '../../runtime/state/state-store.js';

/** The behaviour every state store must have; run by the file store's unit test and the Postgres integration test. */
export function stateStoreContract(open: () => Promise<StateStore>, name: () => string): void {
  const st = (cursor: number): AirbyteStateMessage => ({ type: 'STREAM', stream: { stream_descriptor: { name: 'a', namespace: 'n' }, stream_state: { cursor } } });

  it('loads [] when nothing is stored, then what was saved, replaced whole on each save', async () => {
    await using store = await open();
    const n = name();
    expect(await store.load(n)).toEqual([]);
    await store.save(n, [st(1)]);
    expect(await store.load(n)).toEqual([st(1)]);
    await store.save(n, [st(2)]);
    expect(await store.load(n)).toEqual([st(2)]);
  });

  it('keeps big numbers and key order exactly', async () => {
    await using store = await open();
    const n = name();
    const text = '[{"type":"GLOBAL","global":{"shared_state":{"z":1,"lsn":123456789012345678901,"a":0.1000000000000000055511151231257827},"stream_states":[]}}]';
    await store.save(n, parseJson(text) as AirbyteStateMessage[]);
    const { stringifyJson } = await import('../../protocol/index.js');
    expect(stringifyJson(await store.load(n))).toBe(text);
  });

  recordContract(open, name, st);

  it('clears one connection without touching another', async () => {
    await using store = await open();
    const [a, b] = [name(), name()];
    await store.save(a, [st(1)]);
    await store.save(b, [st(2)]);
    await store.clear(a);
    expect(await store.load(a)).toEqual([]);
    expect(await store.load(b)).toEqual([st(2)]);
  });

  it('locks one connection for one run: a second lock names the holder, another connection is free, release frees it', async () => {
    await using store = await open();
    const [a, b] = [name(), name()];
    const first = await store.lock(a, 'sync');
    await expect(store.lock(a, 'sync')).rejects.toMatchObject({ code: 'AIRDOCK_STATE_LOCKED', context: { connection: a, pid: process.pid, purpose: 'sync' } });
    await (await store.lock(b, 'sync')).release();
    await first.release();
    await (await store.lock(a, 'state-set')).release();
  });

  it('survives concurrent saves: a reader always sees one complete state', async () => {
    await using store = await open();
    const n = name();
    await store.save(n, [st(0)]);
    const writes = Array.from({ length: 20 }, (_, i) => store.save(n, [st(i + 1)]));
    const reads = Array.from({ length: 20 }, () => store.load(n));
    await Promise.all(writes);
    for (const r of await Promise.all(reads)) expect(r).toHaveLength(1);
  });
}

/** Side records (the circuit breaker's) beside the state. */
function recordContract(open: () => Promise<StateStore>, name: () => string, st: (cursor: number) => AirbyteStateMessage): void {
  it('keeps side records per connection and kind, replaced whole, deleted by saving undefined; the state is untouched', async () => {
    await using store = await open();
    const [a, b] = [name(), name()];
    expect(await store.loadRecord(a, 'circuit')).toBeUndefined();
    await store.save(a, [st(1)]);
    await store.saveRecord(a, 'circuit', { state: 'open', consecutiveFailures: 3 });
    await store.saveRecord(a, 'circuit', { state: 'closed', consecutiveFailures: 0 });
    await store.saveRecord(b, 'circuit', { state: 'open', consecutiveFailures: 1 });
    expect(await store.loadRecord(a, 'circuit')).toEqual({ state: 'closed', consecutiveFailures: 0 });
    expect(await store.loadRecord(a, 'ready')).toBeUndefined();
    await store.saveRecord(a, 'circuit', undefined);
    expect(await store.loadRecord(a, 'circuit')).toBeUndefined();
    expect(await store.loadRecord(b, 'circuit')).toEqual({ state: 'open', consecutiveFailures: 1 });
    expect(await store.load(a)).toEqual([st(1)]);
  });
}
