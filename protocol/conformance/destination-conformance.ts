import type { ConfiguredAirbyteCatalog } from '../generated/types.js';
import type { CommandRunner } from './command-runner.js';
import { checkSucceedsCheck, configErrorCheck, fail, ofType, specCheck, type ConformanceCheck } from './conformance-check.js';

export interface DestinationConformanceOptions {
  config: Record<string, unknown>;
  invalidConfig?: Record<string, unknown>;
}

/** A small two-stream catalog every destination must accept. */
export const conformanceCatalog: ConfiguredAirbyteCatalog = {
  streams: ['airdock_conformance_a', 'airdock_conformance_b'].map((name) => ({
    stream: {
      name,
      json_schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: ['null', 'string'] }, updated_at: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' }, extra: { type: 'object' } } },
      supported_sync_modes: ['full_refresh', 'incremental'],
      source_defined_cursor: true,
      default_cursor_field: ['updated_at'],
      source_defined_primary_key: [['id']],
    },
    sync_mode: 'incremental',
    destination_sync_mode: 'append',
    cursor_field: ['updated_at'],
    primary_key: [['id']],
    generation_id: 1,
    minimum_generation_id: 0,
    sync_id: 1,
  })),
} as ConfiguredAirbyteCatalog;

/** Input for `write`: records, STATEs with the runtime's `id` key, noise lines to ignore. */
export function conformanceInput(): { lines: string[]; states: string[] } {
  const lines: string[] = ['this line is not JSON and must be ignored'];
  const states: string[] = [];
  let id = 0;
  for (let batch = 0; batch < 3; batch++) {
    for (const stream of ['airdock_conformance_a', 'airdock_conformance_b']) {
      for (let i = 0; i < 5; i++) {
        const n = batch * 5 + i + 1;
        lines.push(JSON.stringify({ type: 'RECORD', record: { stream, emitted_at: 1_700_000_000_000 + n, data: { id: n, name: i === 0 ? null : `name ${n}`, updated_at: `2024-01-0${batch + 1}T00:00:0${i}+00:00`, extra: { nested: [n] } } } }));
      }
      const state = JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { cursor: `2024-01-0${batch + 1}`, big: 'BIG' } }, sourceStats: { recordCount: 5 }, id: ++id } }).replace('"BIG"', '12345678901234567890');
      lines.push(state);
      states.push(state);
    }
  }
  return { lines, states };
}

export function destinationConformanceChecks(run: CommandRunner, o: DestinationConformanceOptions): ConformanceCheck[] {
  return [
    specCheck(run),
    checkSucceedsCheck(run, o.config),
    configErrorCheck(run, o.config, o.invalidConfig, 'write', { catalog: conformanceCatalog }),
    {
      name: '`write` echoes every STATE, in order, keeping unknown keys',
      async run() {
        const { lines, states } = conformanceInput();
        const r = await run('write', { config: o.config, catalog: conformanceCatalog, stdinLines: lines });
        if (r.exitCode !== 0) fail('`write` must exit 0', r);
        const echoed = ofType(r, 'STATE').map((m) => m.state as Record<string, unknown>);
        if (echoed.length !== states.length) fail(`expected ${states.length} STATE echoes, got ${echoed.length}`, r);
        echoed.forEach((s, i) => {
          const sent = JSON.parse(states[i]!).state as Record<string, unknown>;
          if (s.id !== sent.id) fail(`STATE #${i + 1} came back without its id (or out of order)`, r);
          const cursor = (x: Record<string, unknown>) => (x.stream as { stream_state?: { cursor?: unknown } } | undefined)?.stream_state?.cursor;
          if (cursor(s) !== cursor(sent)) fail(`STATE #${i + 1} came back with a different stream_state`, r);
        });
        const bigEchoed = r.rawLines.filter((l) => l.includes('"type":"STATE"')).every((l) => l.includes('12345678901234567890'));
        if (!bigEchoed) fail('a STATE echo lost the exact value of a big number', r);
      },
    },
  ];
}
