import type { Command } from 'commander';
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
        process.stdout.write(o.json ? `${JSON.stringify(spec)}\n` : `${JSON.stringify(spec, null, 2)}\n`);
      } finally {
        irq.dispose();
      }
    });
}
