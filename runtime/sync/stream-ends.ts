import { encodeMessage, type ConfiguredAirbyteCatalog } from '../../protocol/index.js';
import type { RunResult } from '../launcher/connector-run.js';

/**
 * The STREAM_STATUS lines the destination gets after the source's last message: COMPLETE for every
 * stream of its catalog when the source finished cleanly, INCOMPLETE otherwise. The platform sends
 * the COMPLETE ones (to destinations that support refreshes), and destinations built on Airbyte's
 * newer CDKs swap an overwrite table in only when they receive them. The INCOMPLETE ones are
 * airdock's: without any status, a destination can only take the end of its input for success and
 * would replace a table's data with what a failed source managed to send. Destinations that know
 * no stream statuses ignore TRACE messages.
 */
export function streamEndLines(catalog: ConfiguredAirbyteCatalog, complete: boolean, now = Date.now()): Buffer[] {
  return catalog.streams.map(({ stream }) => Buffer.from(encodeMessage({
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: now,
      stream_status: {
        stream_descriptor: stream.namespace == null ? { name: stream.name } : { name: stream.name, namespace: stream.namespace },
        status: complete ? 'COMPLETE' : 'INCOMPLETE',
      },
    },
  }).slice(0, -1)));
}

/** The source ran to its end on its own: exit 0, no TRACE ERROR, not interrupted. */
export function sourceFinished(source: RunResult, aborted: boolean): boolean {
  const s = source.summary;
  return !aborted && source.error === undefined && s.exit.code === 0 && s.exit.terminated !== true && s.traceErrors.length === 0;
}
