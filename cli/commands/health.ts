import type { Command } from 'commander';
import { positiveNumber } from '../run/cli-runtime.js';

export function register(program: Command): void {
  program
    .command('health')
    .description('Run check on both sides of connections (or one connector) in parallel; exit 0 healthy, 1 unhealthy')
    .argument('<targets...>', 'connection files, or one connector ref with --config')
    .option('--config <file>', 'config of the connector ref (JSON or YAML, ${VAR} expanded)')
    .option('--timeout <seconds>', 'time limit per side (default 30)', positiveNumber)
    .option('--json', 'machine-readable output')
    .action(async (targets: string[], flags: { config?: string; timeout?: number; json?: boolean }) => {
      const { healthCommand } = await import('../health/health-command.js');
      process.exitCode = await healthCommand(targets, flags);
    });
}
