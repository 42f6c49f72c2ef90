import type { Command } from 'commander';
import { writeJson } from '../format/write-json.js';
import { interruptSignal, loadObject, openConnector, withConnectorOptions, type ConnectorCliOptions } from '../run/cli-runtime.js';

export function register(program: Command): void {
  withConnectorOptions(program.command('check'))
    .description('Check that a config works (exit 0 SUCCEEDED, 1 FAILED)')
    .argument('<ref>', 'image (repo:tag), native:<name>, ./program or a catalog name')
    .requiredOption('--config <file>', 'connector config (JSON or YAML, ${VAR} expanded)')
    .action(async (ref: string, o: ConnectorCliOptions & { config: string }) => {
      const irq = interruptSignal();
      try {
        const config = await loadObject(o.config, 'config');
        const result = await (await openConnector(ref, o, 'check')).check(config, { signal: irq.signal });
        if (o.json) {
          await writeJson(result);
        } else {
          process.stdout.write(result.status === 'SUCCEEDED' ? 'SUCCEEDED\n' : `FAILED: ${result.message ?? 'no reason given'}\n`);
          for (const i of result.issues ?? []) process.stdout.write(`  ${i.path || '/'} ${i.message}\n`);
        }
        if (result.status !== 'SUCCEEDED') process.exitCode = 1;
      } finally {
        irq.dispose();
      }
    });
}
