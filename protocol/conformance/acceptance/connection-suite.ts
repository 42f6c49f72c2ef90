import type { CommandRunner } from '../command-runner.js';
import { fail, ofType, type ConformanceCheck } from '../conformance-check.js';
import { check } from './acceptance-check.js';

export type ConnectionStatusExpected = 'succeed' | 'failed' | 'exception';

/** CAT's `test_check`: the config gives SUCCEEDED, FAILED (an answer, not a crash) or an error TRACE. */
export function connectionSuite(run: CommandRunner, o: { config: unknown; status: ConnectionStatusExpected }): ConformanceCheck[] {
  return [check('test_check', async () => {
    const r = await run('check', { config: o.config });
    const statuses = ofType(r, 'CONNECTION_STATUS');
    if (o.status === 'exception') {
      const traces = ofType(r, 'TRACE').filter((m) => m.trace.type === 'ERROR' && m.trace.error?.message);
      if (traces.length === 0) fail('`check` must print a TRACE ERROR with a message for this config', r);
      return;
    }
    const want = o.status === 'succeed' ? 'SUCCEEDED' : 'FAILED';
    const got = statuses[0]?.connectionStatus;
    if (statuses.length === 0) fail(`\`check\` printed no CONNECTION_STATUS (expected ${want})${r.exitCode !== 0 ? `: it crashed with exit ${r.exitCode}` : ''}`, r);
    if (statuses.length > 1) fail(`CONNECTION_STATUS must be printed exactly once (got ${statuses.length})`, r);
    if (got?.status !== want) fail(`\`check\` answered ${got?.status}${got?.message ? ` (${got.message})` : ''}, expected ${want}`, r);
    if (r.exitCode !== 0) fail(`\`check\` answered ${want} but exited ${r.exitCode}: a verdict is not a crash`, r);
  })];
}
