import type { Command } from 'commander';
import { interruptSignal, loadObject, openConnector, withConnectorOptions, writeLine, type ConnectorCliOptions } from '../run/cli-runtime.js';

interface WriteOptions extends ConnectorCliOptions { config: string; catalog: string }

export function register(program: Command): void {
  withConnectorOptions(program.command('write'))
    .description('Write to a destination: NDJSON messages on stdin, its output (echoed states) on stdout')
    .argument('<ref>', 'image (repo:tag), native:<name>, ./program or a catalog name')
    .requiredOption('--config <file>', 'connector config (JSON or YAML, ${VAR} expanded)')
    .requiredOption('--catalog <file>', 'configured catalog (JSON or YAML)')
    .action(async (ref: string, o: WriteOptions) => {
      const irq = interruptSignal();
      try {
        const config = await loadObject(o.config, 'config');
        const catalog = await loadObject(o.catalog, 'catalog');
        const connector = await openConnector(ref, o, 'write');
        // stdin is forwarded byte for byte: no parse, no re-serialisation; the destination reads the same lines.
        const run = connector.write(config, catalog as never, process.stdin as AsyncIterable<Buffer>, { signal: irq.signal });
        for await (const line of run.lines()) await writeLine(line);
        await run.done();
      } finally {
        irq.dispose();
      }
    });
}
