import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { InputMessage } from './define-destination.js';
import { DestinationInput } from './destination-input.js';
import { Emitter } from './emitter.js';
import { writeWithBarrier } from './write-barrier.js';

const rec = (i: number): InputMessage => ({ message: { type: 'RECORD', record: { stream: 's', emitted_at: 1, data: { i } } }, raw: Buffer.from(`{"i":${i}}`) });
const state = (i: number): InputMessage => ({ message: { type: 'STATE', state: { type: 'LEGACY', data: { i } } }, raw: Buffer.from(`S${i}`) });

function output() {
  const out = new PassThrough();
  const lines: string[] = [];
  out.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  return { emit: new Emitter(out), lines };
}

/** Yields the messages, pausing `gapMs` after each STATE (a quiet source). */
async function* feed(messages: InputMessage[], gapMs = 0): AsyncGenerator<InputMessage> {
  for (const m of messages) {
    yield m;
    if (gapMs && m.message.type === 'STATE') await new Promise((r) => setTimeout(r, gapMs));
  }
}

async function* feedBytes(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

const status = (name: string, st: 'COMPLETE' | 'INCOMPLETE'): InputMessage => ({
  message: { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name }, status: st } } },
  raw: Buffer.from('T'),
});

describe('writeWithBarrier', () => {
  it("tells the final commit how each stream's input ended (STREAM_STATUS), so an overwrite can keep the old data", async () => {
    const { emit } = output();
    const seen: Record<string, boolean>[] = [];
    await writeWithBarrier(feed([rec(1), status('s', 'INCOMPLETE'), status('t', 'COMPLETE')]), emit, {
      write: () => {},
      async commit(final, ends) { if (final) seen.push({ s: ends.complete('s'), t: ends.complete('t'), u: ends.complete('u') }); },
    });
    expect(seen).toEqual([{ s: false, t: true, u: true }]);
  });

  it('echoes a STATE only after the records before it are committed, in order', async () => {
    const { emit, lines } = output();
    const log: string[] = [];
    const stats = await writeWithBarrier(feed([rec(1), rec(2), state(1), rec(3), state(2)]), emit, {
      write: (m) => { log.push(`w${String(m.message.record?.data.i)}`); },
      async commit(final) { log.push(final ? 'final' : 'commit'); log.push(`echoed:${lines.length}`); },
    }, { maxDelayMs: 0 });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['w1', 'w2', 'commit', 'echoed:0', 'w3', 'commit', 'echoed:1', 'final', 'echoed:2']);
    expect(lines).toEqual(['S1', 'S2']);
    expect(stats).toEqual({ records: 3, states: 2, commits: 3 });
  });

  it('firstDelayMs bounds only the first commit: later STATEs wait for maxDelayMs', async () => {
    const { emit, lines } = output();
    const log: string[] = [];
    await writeWithBarrier(feed([rec(1), state(1), rec(2), state(2), rec(3), state(3)]), emit, {
      write: (m) => { log.push(`w${String(m.message.record?.data.i)}`); },
      async commit(final) { log.push(final ? 'final' : 'commit'); },
    }, { firstDelayMs: 0, maxDelayMs: 10_000 });
    expect(log).toEqual(['w1', 'commit', 'w2', 'w3', 'final']);
    expect(lines).toEqual(['S1', 'S2', 'S3']);
  });

  it('with writeRun, takes runs of records from stdin and still echoes each STATE after its records are committed', async () => {
    const { emit, lines } = output();
    const log: string[] = [];
    const r = (i: number) => `{"type":"RECORD","record":{"stream":"s","emitted_at":1,"data":{"i":${i}}}}\n`;
    const st = (i: number) => `{"type":"STATE","state":{"type":"LEGACY","data":{"i":${i}}}}\n`;
    const stdin = [r(1) + r(2) + r(3) + st(1) + r(4), r(5) + st(2)].map((c) => Buffer.from(c));
    const stats = await writeWithBarrier(new DestinationInput(feedBytes(stdin)), emit, {
      write: (m) => { log.push(`line:${m.raw.toString()}`); },
      writeRun: (run) => { log.push(`run:${run.stream}:${run.count}`); },
      async commit(final) { log.push(final ? 'final' : 'commit'); log.push(`echoed:${lines.length}`); },
    }, { maxDelayMs: 10_000, maxRecords: 3 });
    await new Promise((r) => setImmediate(r));
    // maxRecords counts the records of a run: the first run commits before any STATE; both STATEs wait for the final commit.
    expect(log).toEqual(['run:s:3', 'commit', 'echoed:0', 'run:s:1', 'run:s:1', 'final', 'echoed:0']);
    expect(lines.map((l) => JSON.parse(l).state.data.i)).toEqual([1, 2]);
    expect(stats).toEqual({ records: 5, states: 2, commits: 2 });
  });

  it('after a failed commit nothing more is echoed and the error fails the write', async () => {
    const { emit, lines } = output();
    let commits = 0;
    const run = writeWithBarrier(feed([rec(1), state(1), rec(2), state(2), rec(3), state(3)]), emit, {
      write: () => {},
      async commit() { if (++commits === 2) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' }); },
    }, { maxDelayMs: 0 });
    await expect(run).rejects.toThrow('disk full');
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual(['S1']);
  });

  it('acknowledges a waiting STATE on a timer when the source goes quiet, never during a write', async () => {
    const { emit, lines } = output();
    let writing = false;
    let overlapped = false;
    const started = Date.now();
    let echoedAt = 0;
    await writeWithBarrier(feed([rec(1), state(1), rec(2), state(2)], 150), emit, {
      async write() { writing = true; await new Promise((r) => setTimeout(r, 5)); writing = false; },
      async commit(final) { if (writing) overlapped = true; if (!final && !echoedAt) echoedAt = Date.now() - started; },
    }, { maxDelayMs: 40 });
    expect(lines).toEqual(['S1', 'S2']);
    expect(overlapped).toBe(false);
    // The first STATE was acknowledged by the timer, well before the input ended (~300 ms).
    expect(echoedAt).toBeGreaterThanOrEqual(30);
    expect(echoedAt).toBeLessThan(140);
  });

  it('commits a batch at maxRecords even without a STATE', async () => {
    const { emit } = output();
    const sizes: number[] = [];
    let n = 0;
    await writeWithBarrier(feed(Array.from({ length: 25 }, (_, i) => rec(i))), emit, {
      write: () => { n++; },
      async commit() { sizes.push(n); n = 0; },
    }, { maxRecords: 10 });
    expect(sizes).toEqual([10, 10, 5]);
  });

  it('eagerRecords (overlap): a batch starts loading once the previous load has ended and enough records wait, not before', async () => {
    const { emit, lines } = output();
    const log: string[] = [];
    let endLoad!: () => void;
    async function* source(): AsyncGenerator<InputMessage> {
      yield rec(1);
      yield rec(2); // 2 records wait and nothing loads: the first batch starts
      yield state(1);
      yield rec(3);
      yield rec(4); // enough records wait, but the first batch still loads: no commit
      yield rec(5);
      endLoad();
      await new Promise((r) => setTimeout(r, 10));
      yield rec(6); // the first load has ended: the second batch (3-6) starts
      yield state(2);
      yield rec(7);
    }
    await writeWithBarrier(source(), emit, {
      write: (m) => { log.push(`w${String(m.message.record?.data.i)}`); },
      commit(final) {
        log.push(final ? 'final' : 'commit');
        if (log.filter((x) => x === 'commit').length > 1 || final) return Promise.resolve();
        return new Promise<void>((r) => { endLoad = () => { log.push('loaded'); r(); }; });
      },
    }, { overlap: true, eagerRecords: 2, maxDelayMs: 10_000 });
    expect(log).toEqual(['w1', 'w2', 'commit', 'w3', 'w4', 'w5', 'loaded', 'w6', 'commit', 'w7', 'final']);
    expect(lines).toEqual(['S1', 'S2']);
  });

  it('eagerRecords needs overlap: without it only the bounds start a batch', async () => {
    const { emit } = output();
    const sizes: number[] = [];
    let n = 0;
    await writeWithBarrier(feed(Array.from({ length: 7 }, (_, i) => rec(i))), emit, {
      write: () => { n++; },
      async commit() { sizes.push(n); n = 0; },
    }, { maxRecords: 5, eagerRecords: 2 });
    expect(sizes).toEqual([5, 2]);
  });

  describe('maxRecordsWhileLoading (overlap): a batch grows while the previous commit runs', () => {
    /** rec 1-2 (the first batch, whose commit takes `loadMs`), STATE 1, rec 3-6 at once, then after 60 ms rec 7, STATE 2, rec 8. */
    async function run(options: { maxRecordsWhileLoading?: number }, loadMs = 30) {
      const { emit, lines } = output();
      const log: string[] = [];
      async function* source(): AsyncGenerator<InputMessage> {
        yield* [rec(1), rec(2), state(1), rec(3), rec(4), rec(5), rec(6)];
        await new Promise((r) => setTimeout(r, 60));
        yield* [rec(7), state(2), rec(8)];
      }
      let commits = 0;
      await writeWithBarrier(source(), emit, {
        write: (m) => { log.push(`w${String(m.message.record?.data.i)}`); },
        commit(final) {
          log.push(final ? 'final' : 'commit');
          if (commits++ > 0) return Promise.resolve();
          return new Promise<void>((r) => setTimeout(() => { log.push(`loaded:${lines.join(',')}`); r(); }, loadMs));
        },
      }, { overlap: true, maxRecords: 2, maxDelayMs: 10_000, ...options });
      return { log, lines };
    }

    it('takes records past maxRecords instead of waiting, and commits them once the previous commit has ended', async () => {
      const { log, lines } = await run({ maxRecordsWhileLoading: 10 });
      expect(log).toEqual(['w1', 'w2', 'commit', 'w3', 'w4', 'w5', 'w6', 'loaded:', 'w7', 'commit', 'w8', 'final']);
      expect(lines).toEqual(['S1', 'S2']);
    });

    it('grows only up to maxRecordsWhileLoading, then waits; without it waits at maxRecords', async () => {
      expect((await run({ maxRecordsWhileLoading: 3 })).log).toEqual(['w1', 'w2', 'commit', 'w3', 'w4', 'w5', 'loaded:', 'commit', 'w6', 'w7', 'commit', 'w8', 'final']);
      expect((await run({})).log).toEqual(['w1', 'w2', 'commit', 'w3', 'w4', 'loaded:', 'commit', 'w5', 'w6', 'commit', 'w7', 'w8', 'commit', 'final']);
    });

    it("a STATE whose timer fired during a write while the batch grew is echoed once the previous commit ends, the source quiet", async () => {
      const { emit, lines } = output();
      const log: string[] = [];
      let commits = 0;
      async function* source(): AsyncGenerator<InputMessage> {
        yield* [rec(1), rec(2), rec(3), state(1), rec(4)];
        await new Promise((r) => setTimeout(r, 200));
        log.push(`quiet:${lines.join(',')}`);
      }
      await writeWithBarrier(source(), emit, {
        // rec 4 holds the barrier (backpressure) while the STATE's timer fires: the commit is due, but the first still runs.
        write: (m) => { log.push(`w${String(m.message.record?.data.i)}`); return m.message.record?.data.i === 4 ? new Promise((r) => setTimeout(r, 20)) : undefined; },
        commit(final) {
          log.push(final ? 'final' : 'commit');
          if (commits++ > 0) return Promise.resolve();
          return new Promise<void>((r) => setTimeout(() => { log.push('loaded'); r(); }, 50));
        },
      }, { overlap: true, maxRecords: 2, maxRecordsWhileLoading: 10, maxDelayMs: 10 });
      expect(log).toEqual(['w1', 'w2', 'commit', 'w3', 'w4', 'loaded', 'commit', 'quiet:S1', 'final']);
      expect(lines).toEqual(['S1']);
    });

    it('a STATE in a grown batch is echoed after its own commit, also when the source goes quiet meanwhile', async () => {
      const { emit, lines } = output();
      const log: string[] = [];
      let commits = 0;
      async function* source(): AsyncGenerator<InputMessage> {
        yield* [rec(1), rec(2), rec(3), rec(4), state(1)];
        await new Promise((r) => setTimeout(r, 200)); // quiet: the STATE's timer commits its batch
        log.push(`quiet:${lines.join(',')}`);
        yield rec(5);
      }
      await writeWithBarrier(source(), emit, {
        write: (m) => { log.push(`w${String(m.message.record?.data.i)}`); },
        commit(final) {
          log.push(final ? 'final' : 'commit');
          if (commits++ > 0) return Promise.resolve();
          return new Promise<void>((r) => setTimeout(() => { log.push('loaded'); r(); }, 30));
        },
      }, { overlap: true, maxRecords: 2, maxRecordsWhileLoading: 10, maxDelayMs: 10 });
      expect(log).toEqual(['w1', 'w2', 'commit', 'w3', 'w4', 'loaded', 'commit', 'quiet:S1', 'w5', 'final']);
      expect(lines).toEqual(['S1']);
    });
  });

  it('a sink that fails on its own between writes stops the barrier while the source is quiet', async () => {
    const { emit, lines } = output();
    let reject!: (e: unknown) => void;
    const failed = new Promise<never>((_, r) => { reject = r; });
    async function* quiet(): AsyncGenerator<InputMessage> {
      yield rec(1);
      yield state(1);
      await new Promise(() => {}); // the source never sends another line
    }
    setTimeout(() => reject(new Error('send refused')), 20);
    await expect(writeWithBarrier(quiet(), emit, { write: () => {}, commit: async () => {}, failed }, { maxDelayMs: 10_000 })).rejects.toThrow('send refused');
    expect(lines).toEqual([]);
  });
});
