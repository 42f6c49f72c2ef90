import { Option, type Command } from 'commander';
import type { SyncFlags } from '../sync/sync-command.js';

export function register(program: Command): void {
  program
    .command('sync')
    .description('Sync a source into a destination as a connection file describes, committing only state the destination acknowledged')
    .argument('<connection>', 'connection file (YAML or JSON; ${VAR} expanded from the environment)')
    .option('--json-summary', 'print one JSON summary object on stdout at the end')
    .option('--full-refresh', 'ignore the stored state for this run')
    .option('--state-dir <dir>', 'folder of the file state store (default $AIRDOCK_HOME/state)')
    .option('--metrics-file <path>', 'write Prometheus metrics there at the end (atomically; for node_exporter\'s textfile collector)')
    .option('--metrics-push <url>', 'push Prometheus metrics to this Pushgateway at the end (job="airdock", connection=<name>)')
    .addOption(new Option('--backend <name>', 'what runs both images, overriding the connection file (default $AIRDOCK_BACKEND or docker)').choices(['docker', 'kubernetes']))
    .action(async (file: string, flags: SyncFlags) => {
      const { syncCommand } = await import('../sync/sync-command.js');
      process.exitCode = await syncCommand(file, flags);
    });
}
