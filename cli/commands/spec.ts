import type { Command } from 'commander';
import { writeJson } from '../format/write-json.js';
import { openConnector, withConnectorOptions, type ConnectorCliOptions } from '../run/cli-runtime.js';

export function register(program: Command): void {
  withConnectorOptions(program.command('spec'))
    .description("Print a connector's spec (its config schema)")
    .argument('<ref>', 'image (repo:tag), native:<name>, ./program or a catalog name')
    .action(async (ref: string, o: ConnectorCliOptions) => {
      const { interruptSignal } = await import('../run/cli-runtime.js');
      const irq = interruptSignal();
      try {
        const spec = await (await openConnector(ref, o, 'spec')).spec({ signal: irq.signal });
        await writeJson(spec, { pretty: !o.json });
      } finally {
        irq.dispose();
      }
    });
}
