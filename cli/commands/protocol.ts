import type { Command } from 'commander';

export function register(program: Command): void {
  const protocol = program.command('protocol').description('Work with Airbyte protocol messages');
  protocol
    .command('validate')
    .description('Validate NDJSON Airbyte messages against the official schema (one verdict per line)')
    .argument('[file]', 'NDJSON file, or - for stdin', '-')
    .option('--json', 'print one JSON verdict per input line')
    .option('--max-line-bytes <n>', 'longest accepted line in bytes', (v) => Number.parseInt(v, 10))
    .action(async (file: string, opts: { json?: boolean; maxLineBytes?: number }) => {
      const { validateProtocolStream } = await import('../protocol/validate-protocol-stream.js');
      process.exitCode = await validateProtocolStream(file, opts);
    });
}
