import { describe, expect, it } from 'vitest';
import { configureCatalog, runTargetCommand } from '../sdk/testing/index.js';
import { fakerStreams } from './faker-streams.js';
import { sourceFaker } from './source-faker.js';

const target = { kind: 'definition' as const, definition: sourceFaker };
const catalog = configureCatalog({ streams: fakerStreams });
const records = (r: Awaited<ReturnType<typeof runTargetCommand>>, stream: string) =>
  r.messages.filter((m) => m.type === 'RECORD' && m.record!.stream === stream).map((m) => { const { updated_at: _u, ...rest } = m.record!.data; return rest; });

describe('native:source-faker', () => {
  it('is deterministic for a seed (updated_at aside) and differs across seeds', async () => {
    const a = await runTargetCommand(target, 'read', { config: { count: 30, seed: 5 }, catalog });
    const b = await runTargetCommand(target, 'read', { config: { count: 30, seed: 5 }, catalog });
    const c = await runTargetCommand(target, 'read', { config: { count: 30, seed: 6 }, catalog });
    expect(records(a, 'users')).toEqual(records(b, 'users'));
    expect(records(a, 'purchases')).toEqual(records(b, 'purchases'));
    expect(records(a, 'users')).not.toEqual(records(c, 'users'));
  });

  it('emits count users, 10 purchases per 10 users with the reference id scheme, min(count,100) products', async () => {
    const r = await runTargetCommand(target, 'read', { config: { count: 20, seed: 1 }, catalog });
    expect(records(r, 'users').map((u) => u.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(records(r, 'purchases').map((p) => p.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(records(r, 'products')).toHaveLength(20);
  });

  it('emits STREAM state every records_per_slice with recordCount, and resumes an interrupted read', async () => {
    const full = await runTargetCommand(target, 'read', { config: { count: 25, seed: 2, records_per_slice: 10 }, catalog });
    const userStates = full.messages.filter((m) => m.type === 'STATE' && m.state!.stream!.stream_descriptor.name === 'users').map((m) => m.state!);
    expect(userStates.map((s) => (s.stream!.stream_state as { loop_offset: number }).loop_offset)).toEqual([10, 20, 25]);
    expect(userStates.map((s) => s.sourceStats?.recordCount)).toEqual([10, 10, 5]);
    const resumed = await runTargetCommand(target, 'read', { config: { count: 25, seed: 2, records_per_slice: 10 }, catalog, state: [userStates[0]] });
    expect(records(resumed, 'users')).toEqual(records(full, 'users').slice(10));
  });

  it('with always_updated false, a finished stream emits nothing more', async () => {
    const config = { count: 5, seed: 2, always_updated: false };
    const first = await runTargetCommand(target, 'read', { config, catalog });
    const states = first.messages.filter((m) => m.type === 'STATE').map((m) => m.state);
    const second = await runTargetCommand(target, 'read', { config, catalog, state: states });
    expect(second.messages.filter((m) => m.type === 'RECORD')).toHaveLength(0);
  });
});
