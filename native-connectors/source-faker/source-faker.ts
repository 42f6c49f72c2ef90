import type { ConfiguredAirbyteStream } from '../../protocol/index.js';
import { defineSource, type Emitter, type StateView } from '../sdk/index.js';
import { resolveFakerConfig, type FakerConfig, type ResolvedFakerConfig } from './faker-config.js';
import { fakerStreams } from './faker-streams.js';
import { AsciiChunk, ascii } from './ascii-chunk.js';
import { productJson, writePurchases, writeUser } from './fake-records.js';
import { Prng, airbyteTime } from './prng.js';
import { spec } from './spec.js';

interface FakerStreamState { seed?: number; updated_at?: string; loop_offset?: number }

/** Drop-in for Airbyte's source-faker: same config, streams, fields and state shape. */
export const sourceFaker = defineSource<FakerConfig>({
  spec,
  async check() {},
  async discover() {
    return { streams: fakerStreams };
  },
  async read(config, catalog, state, { emit, signal }) {
    const c = resolveFakerConfig(config);
    for (const configured of catalog.streams) {
      signal.throwIfAborted();
      const name = configured.stream.name;
      if (!fakerStreams.some((s) => s.name === name)) continue;
      await emit.streamStatus(name, 'STARTED');
      const start = startOffset(configured, state, c, name);
      if (start !== undefined) {
        if (name === 'products') await readProducts(emit, c);
        else await readPerUser(emit, c, name as 'users' | 'purchases', start, signal);
      } else {
        // Nothing new: the state is said again unchanged, so every read ends with a state per stream (CAT checks it).
        const prev = state.get<FakerStreamState>(name);
        if (prev) await emit.streamState(name, prev);
      }
      await emit.streamStatus(name, 'COMPLETE');
    }
  },
});

/** Where to start, or undefined when an incremental stream has nothing new. */
function startOffset(s: ConfiguredAirbyteStream, state: StateView, c: ResolvedFakerConfig, name: string): number | undefined {
  const prev = s.sync_mode === 'incremental' ? state.get<FakerStreamState>(name) : undefined;
  if (!prev?.updated_at) return 0;
  // An interrupted sync resumes where it stopped, with the same records (they depend only on seed and id).
  if (name !== 'products' && prev.seed === c.seed && typeof prev.loop_offset === 'number' && prev.loop_offset < c.count) return prev.loop_offset;
  return c.alwaysUpdated ? 0 : undefined;
}

async function readProducts(emit: Emitter, c: ResolvedFakerConfig): Promise<void> {
  const r = new Prng();
  const updatedAt = airbyteTime(Date.now());
  const n = Math.min(100, c.count);
  await emit.estimate('products', n);
  for (let id = 1; id <= n; id++) emit.recordLine('products', productJson(r, id, updatedAt));
  await emit.streamState('products', { seed: c.seed, updated_at: updatedAt });
}

async function readPerUser(emit: Emitter, c: ResolvedFakerConfig, name: 'users' | 'purchases', start: number, signal: AbortSignal): Promise<void> {
  const r = new Prng();
  const out = new AsciiChunk();
  const tail = ascii('}}\n');
  let lines = 0;
  // Lines go out a chunk at a time, and before each STATE so that it follows its records and counts them.
  const handOver = () => {
    const n = lines;
    lines = 0;
    return n > 0 ? emit.recordBytes(name, out.take(), n) : undefined;
  };
  await emit.estimate(name, name === 'users' ? c.count - start : Math.round((c.count - start) * 1.3));
  let offset = start;
  let updatedAt = airbyteTime(Date.now());
  while (offset < c.count) {
    signal.throwIfAborted();
    const end = Math.min(c.count, offset + c.recordsPerSlice);
    const now = Date.now();
    updatedAt = airbyteTime(now);
    const updated = ascii(updatedAt);
    const head = ascii(`{"type":"RECORD","record":{"stream":${JSON.stringify(name)},"emitted_at":${now},"data":`);
    for (; offset < end; offset++) {
      if (name === 'users') {
        writeUser(out, r, c.seed, offset, updated, head, tail);
        lines++;
      } else {
        lines += writePurchases(out, r, c.seed, offset, updated, head, tail);
      }
      if (out.full) {
        const wait = handOver();
        if (wait) await wait;
      }
    }
    const wait = handOver();
    if (wait) await wait;
    await emit.streamState(name, { seed: c.seed, updated_at: updatedAt, loop_offset: offset });
  }
  if (start >= c.count) await emit.streamState(name, { seed: c.seed, updated_at: updatedAt, loop_offset: offset });
}
