import type { ConfiguredAirbyteCatalog, DestinationSyncMode } from '../../generated/types.js';
import type { CommandRunner } from '../command-runner.js';
import { fail, fetchSpec, ofType, skip, type ConformanceCheck } from '../conformance-check.js';
import { conformanceCatalog, conformanceInput, destinationConformanceChecks } from '../destination-conformance.js';
import { check } from './acceptance-check.js';

/**
 * The destination suite: `write` echoes every STATE in order after its records, keeping unknown keys
 * and big numbers exact (the conformance kit's check), and accepts every sync mode its spec declares.
 */
export function writeSuite(run: CommandRunner, o: { config: Record<string, unknown> }): ConformanceCheck[] {
  const echo = destinationConformanceChecks(run, { config: o.config }).find((c) => c.name.startsWith('`write` echoes'))!;
  return [
    check('test_write_echoes_states', () => echo.run()),
    check('test_write_keeps_unknown_state_keys', async () => {
      const { lines } = conformanceInput();
      const marked = lines.map((l) => (l.includes('"type":"STATE"') ? l.replace('"state":{', '"state":{"airdock_unknown":{"kept":[1,"x"]},') : l));
      const r = await run('write', { config: o.config, catalog: conformanceCatalog, stdinLines: marked });
      if (r.exitCode !== 0) fail('`write` must exit 0', r);
      const echoed = ofType(r, 'STATE');
      if (echoed.length === 0) fail('`write` echoed no STATE', r);
      if (!echoed.every((m) => JSON.stringify((m.state as Record<string, unknown>).airdock_unknown) === '{"kept":[1,"x"]}')) fail('a STATE echo dropped or changed a key the destination does not know (echo the message as received)', r);
    }),
    check('test_write_every_declared_sync_mode', async () => {
      const modes = (await fetchSpec(run)).supported_destination_sync_modes ?? [];
      if (modes.length === 0) skip('the spec declares no supported_destination_sync_modes');
      for (const mode of modes) {
        const r = await run('write', { config: o.config, catalog: withMode(mode), stdinLines: conformanceInput().lines });
        const states = ofType(r, 'STATE').length;
        if (r.exitCode !== 0 || states === 0) fail(`\`write\` with destination_sync_mode ${mode} (declared in the spec) must exit 0 and echo its STATEs (exit ${r.exitCode}, ${states} echoed)`, r);
      }
    }),
  ];
}

function withMode(mode: DestinationSyncMode): ConfiguredAirbyteCatalog {
  return {
    streams: conformanceCatalog.streams.map((s) => ({
      ...s, destination_sync_mode: mode,
      sync_mode: mode === 'overwrite' ? 'full_refresh' : s.sync_mode,
    })),
  };
}
