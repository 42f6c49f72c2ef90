import { describe, expect, it } from 'vitest';
import type { ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import type { RunResult } from '../launcher/connector-run.js';
import { sourceFinished, streamEndLines } from './stream-ends.js';

const catalog = { streams: [
  { stream: { name: 'a', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
  { stream: { name: 'b', namespace: 'ns', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' },
] } as ConfiguredAirbyteCatalog;

const result = (exit: RunResult['summary']['exit'], extra: Partial<RunResult['summary']> = {}, error?: unknown): RunResult =>
  ({ summary: { exit, traceErrors: [], ...extra } as unknown as RunResult['summary'], ...(error === undefined ? {} : { error }) });

describe('stream ends sent to the destination', () => {
  it('one STREAM_STATUS line per destination stream, namespaces kept, COMPLETE or INCOMPLETE', () => {
    const lines = streamEndLines(catalog, false, 7).map((b) => JSON.parse(b.toString()));
    expect(lines).toEqual([
      { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 7, stream_status: { stream_descriptor: { name: 'a' }, status: 'INCOMPLETE' } } },
      { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 7, stream_status: { stream_descriptor: { name: 'b', namespace: 'ns' }, status: 'INCOMPLETE' } } },
    ]);
    expect(streamEndLines(catalog, true).map((b) => JSON.parse(b.toString()).trace.stream_status.status)).toEqual(['COMPLETE', 'COMPLETE']);
  });

  it('a source finished only when it exited 0 on its own, without a TRACE ERROR, and nobody interrupted the sync', () => {
    expect(sourceFinished(result({ code: 0 }), false)).toBe(true);
    expect(sourceFinished(result({ code: 0 }), true)).toBe(false);
    expect(sourceFinished(result({ code: 1 }), false)).toBe(false);
    expect(sourceFinished(result({ code: 0, terminated: true }), false)).toBe(false);
    expect(sourceFinished(result({ code: 0 }, { traceErrors: [{ message: 'x' }] as never }), false)).toBe(false);
    expect(sourceFinished(result({ code: 0 }, {}, new Error('line too long')), false)).toBe(false);
  });
});
