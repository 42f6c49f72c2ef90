import type { Command } from 'commander';

export interface SuggestOptions {
  apply?: boolean;
  json?: boolean;
  live: boolean;
  online?: boolean;
  registry?: string;
  timeout?: number;
}

/** `airdock suggest <connection.yaml>`: improvements for performance, security, monitoring, correctness. */
export function register(program: Command): void {
  program.command('suggest')
    .description('Suggest improvements to a connection file (security, performance, monitoring, correctness); --apply writes the safe ones')
    .argument('<connection>', 'connection file (YAML)')
    .option('--apply', 'write the safe changes to the file, keeping its comments and order')
    .option('--json', 'machine-readable suggestions')
    .option('--no-live', 'do not run discover or look at the services; file, specs and catalog only')
    .option('--online', 'let the catalog use the network (default: cached or bundled)')
    .option('--registry <url|file>', 'catalog to compare image versions with')
    .option('--timeout <seconds>', 'time limit for discover and each service look', (v) => Number(v))
    .action(async (file: string, o: SuggestOptions) => {
      const { runSuggest } = await import('../assist/suggest-command.js');
      process.exitCode = await runSuggest(file, o);
    });
}
