import type { AirbyteRecordMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../generated/types.js';
import type { CommandResult, CommandRunner } from '../command-runner.js';
import { fail, ofType, skip, type ConformanceCheck } from '../conformance-check.js';
import { check, firstOf, once } from './acceptance-check.js';
import { compareCursor, notOlder } from './cursor-order.js';
import { discoverCatalog } from './discovery-suite.js';
import { incrementalOnly, readCatalog } from './read-catalog.js';
import { resumeState, sampleCheckpoints, stateByStream } from './state-checkpoints.js';
import { valueAt } from './schema-walk.js';

export interface IncrementalOptions {
  config: unknown;
  configuredCatalog?: ConfiguredAirbyteCatalog;
  /** `future_state_path`, already read: a state far in the future. */
  futureState?: unknown;
  /** Streams the future state does not cover (`missing_streams`): left out of that read. */
  futureMissingStreams?: readonly string[];
  /** Per stream, the path of the cursor value inside its state (default: the cursor field's last part). */
  cursorPaths?: Readonly<Record<string, readonly (string | number)[]>>;
  thresholdDays?: number;
  skipComprehensiveIncrementalTests?: boolean;
  /** How many intermediate states `test_read_sequential_slices` resumes from (default 10). */
  maxCheckpoints?: number;
}

type Cursors = Map<string, unknown>;

/** CAT's incremental suite: resuming from a state never goes back in time; a future state yields nothing. */
export function incrementalSuite(run: CommandRunner, o: IncrementalOptions): ConformanceCheck[] {
  const catalog = once(async () => {
    const c = incrementalOnly(readCatalog(await discoverCatalog(run, o.config), o.configuredCatalog));
    if (c.streams.length === 0) skip('no configured stream supports incremental');
    return c;
  });
  const read = async (c: ConfiguredAirbyteCatalog, state?: unknown, what = '`read`'): Promise<CommandResult> => {
    const r = await run('read', { config: o.config, catalog: c, ...(state === undefined ? {} : { state }) });
    if (r.exitCode !== 0) fail(`${what} must exit 0`, r);
    return r;
  };
  const firstRead = once(async () => read(await catalog()));
  const cursors = (c: ConfiguredAirbyteCatalog, states: readonly AirbyteStateMessage[]): Cursors => stateCursors(c, states, o.cursorPaths ?? {});
  return [
    check('test_two_sequential_reads', async () => {
      const c = await catalog();
      const r1 = await firstRead();
      const states = ofType(r1, 'STATE').map((m) => m.state);
      if (states.length === 0) fail('the first read must emit at least one STATE', r1);
      const records = ofType(r1, 'RECORD').map((m) => m.record);
      if (records.length === 0) fail('the first read must return at least one record', r1);
      const state = cursors(c, states);
      const ahead = records.filter((rec) => { const s = state.get(rec.stream); const v = cursorOf(c, rec); return s !== undefined && v !== undefined && (compareCursor(v, s) ?? 0) > 0; });
      if (ahead.length > 0) fail(`the first read returned records newer than its own final state: ${firstOf(ahead.map((rec) => describe(c, rec, state)), 3)}`);
      const r2 = await read(c, resumeState(states), '`read --state`');
      const older = olderThan(c, ofType(r2, 'RECORD').map((m) => m.record), state, o.thresholdDays ?? 0);
      if (older.length > 0) fail(`reading from the first read's state returned records older than that state: ${firstOf(older, 3)}`);
    }),
    check('test_read_sequential_slices', async () => {
      if (o.skipComprehensiveIncrementalTests) skip('skip_comprehensive_incremental_tests is true');
      const c = await catalog();
      const states = ofType(await firstRead(), 'STATE').map((m) => m.state);
      if (states.length === 0) fail('the first read must emit at least one STATE');
      for (const { index, state } of sampleCheckpoints(states, o.maxCheckpoints ?? 10)) {
        const upTo = states.slice(0, index + 1);
        const r = await read(c, resumeState(upTo), `\`read\` from state #${index + 1}`);
        const older = olderThan(c, ofType(r, 'RECORD').map((m) => m.record), cursors(c, upTo), o.thresholdDays ?? 0);
        if (older.length > 0) fail(`reading from state #${index + 1} of ${states.length} (${JSON.stringify(state.stream?.stream_state ?? state.data)}) went back in time: ${firstOf(older, 3)}`);
      }
    }),
    check('test_state_with_abnormally_large_values', async () => {
      if (o.futureState === undefined) skip('no future_state_path given');
      const all = await catalog();
      const c = { streams: all.streams.filter((s) => !(o.futureMissingStreams ?? []).includes(s.stream.name)) };
      const future = Array.isArray(o.futureState) ? o.futureState as AirbyteStateMessage[] : [];
      const r = await read(c, o.futureState, '`read` from the future state');
      const state = cursors(c, future);
      const records = ofType(r, 'RECORD').map((m) => m.record).filter((rec) => {
        const s = state.get(rec.stream);
        return s === undefined || compareCursor(cursorOf(c, rec), s) !== 0;
      });
      if (records.length > 0) fail(`a read from a state in the far future must return no record (or only records at the state's cursor): ${firstOf(records.map((rec) => describe(c, rec, state)), 3)}`, r);
      if (ofType(r, 'STATE').length === 0) fail('a read from the future state must still emit a STATE', r);
    }),
  ];
}

const streamOf = (c: ConfiguredAirbyteCatalog, name: string): ConfiguredAirbyteStream | undefined => c.streams.find((s) => s.stream.name === name);
const cursorOf = (c: ConfiguredAirbyteCatalog, rec: AirbyteRecordMessage): unknown => valueAt(rec.data, streamOf(c, rec.stream)?.cursor_field ?? []);
const describe = (c: ConfiguredAirbyteCatalog, rec: AirbyteRecordMessage, state: Cursors): string =>
  `stream ${rec.stream}: record cursor ${JSON.stringify(cursorOf(c, rec))} vs state cursor ${JSON.stringify(state.get(rec.stream))}`;

function olderThan(c: ConfiguredAirbyteCatalog, records: readonly AirbyteRecordMessage[], state: Cursors, thresholdDays: number): string[] {
  return records.filter((rec) => {
    const s = state.get(rec.stream);
    const v = cursorOf(c, rec);
    return s !== undefined && v !== undefined && !notOlder(v, s, thresholdDays);
  }).map((rec) => describe(c, rec, state));
}

/** Per stream, the cursor value its latest state holds (CAT's cursor_paths, else the cursor field's last part). */
function stateCursors(c: ConfiguredAirbyteCatalog, states: readonly AirbyteStateMessage[], paths: Readonly<Record<string, readonly (string | number)[]>>): Cursors {
  const byStream = stateByStream(states);
  const out: Cursors = new Map();
  for (const s of c.streams) {
    const path = paths[s.stream.name] ?? [s.cursor_field?.at(-1) ?? ''];
    const own = byStream.get(s.stream.name);
    const v = own !== undefined ? valueAt(own, path) : undefined;
    const legacy = byStream.get('*');
    const value = v ?? (legacy !== undefined ? valueAt(legacy, path) ?? valueAt(legacy, [s.stream.name, ...path]) : undefined);
    if (value !== undefined) out.set(s.stream.name, value);
  }
  return out;
}
