import type { Command } from 'commander';
import { interruptSignal, loadObject, openConnector, streamList, withConnectorOptions, writeLine, type ConnectorCliOptions } from '../run/cli-runtime.js';

interface ReadOptions extends ConnectorCliOptions { config: string; catalog?: string; state?: string; streams?: string[] }

export function register(program: Command): void {
  withConnectorOptions(program.command('read'))
    .description('Read from a source: its messages as NDJSON on stdout (logs on stderr)')
    .argument('<ref>', 'image (repo:tag), native:<name>, ./program or a catalog name')
    .requiredOption('--config <file>', 'connector config (JSON or YAML, ${VAR} expanded)')
    .option('--catalog <file>', 'configured catalog; default: every stream from discover (full refresh, or incremental with --state)')
    .option('--state <file>', 'state to resume from: a JSON array of STATE messages')
    .option('--streams <a,b>', 'only these streams', streamList)
    .action(async (ref: string, o: ReadOptions) => {
      const [{ configureCatalog, selectStreams }, { loadDocument }, { environment }, protocol] = await Promise.all([
        import('../../protocol/catalog/configure-catalog.js'), import('../../runtime/config/load-document.js'), import('../../runtime/options.js'), import('../../protocol/index.js'),
      ]);
      const irq = interruptSignal();
      try {
        const config = await loadObject(o.config, 'config');
        const state = o.state ? await loadDocument(o.state, { env: environment() }) : undefined;
        if (state !== undefined && (state === null || typeof state !== 'object')) {
          throw new protocol.ConfigFileError('The state file must hold a JSON array of STATE messages', { context: { path: o.state } });
        }
        const connector = await openConnector(ref, o, 'read');
        const catalog = o.catalog
          ? selectStreams(await loadObject(o.catalog, 'catalog') as unknown as import('../../protocol/index.js').ConfiguredAirbyteCatalog, o.streams)
          : configureCatalog(await connector.discover(config, { signal: irq.signal }), { ...(o.streams ? { streams: o.streams } : {}), incremental: state !== undefined });
        // A single state message (not wrapped in an array) is accepted and wrapped, as the CDK would read it.
        const states = state === undefined ? undefined : Array.isArray(state) ? state : 'type' in (state as object) ? [state] : state;
        const run = connector.read(config, catalog, states, { signal: irq.signal });
        for await (const line of run.lines()) await writeLine(line);
        const s = await run.done();
        process.stderr.write(`airdock: read ${s.records} record(s), ${s.counts.STATE ?? 0} state(s) in ${(s.durationMs / 1000).toFixed(1)} s\n`);
      } finally {
        irq.dispose();
      }
    });
}
