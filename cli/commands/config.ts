import type { Command } from 'commander';

interface NewOptions {
  out?: string;
  json?: boolean;
  interactive?: boolean;
  set: string[];
  force?: boolean;
  registry?: string;
  online?: boolean;
}

/**
 * `airdock config new "<description>"`: a connector config, or a connection file when the words
 * name a source and a destination. Offline and deterministic unless AIRDOCK_LLM_URL is set.
 */
export function register(program: Command): void {
  const config = program.command('config').description('Draft connector configs and connection files from plain words');
  config.command('new')
    .description('Draft a config (or a connection file) from a description; secrets become ${VAR} placeholders')
    .argument('<description...>', 'what to connect, e.g. "Postgres on db.local, database shop, user etl, with SSL"')
    .option('--out <file>', 'write the draft to this file (YAML) instead of stdout')
    .option('--force', 'overwrite --out if it exists')
    .option('--json', 'machine-readable result on stdout (config, origins, questions, variables)')
    .option('-i, --interactive', 'ask the open questions on the terminal')
    .option('--set <field=value>', 'answer a question (source.field=... / destination.field=... for a connection); repeatable', collect, [])
    .option('--registry <url|file>', 'catalog to pick connectors from (default: the cached or bundled one)')
    .option('--online', 'let the catalog and image specs use the network (default: offline)')
    .action(async (words: string[], o: NewOptions) => {
      const { runConfigNew } = await import('../assist/config-new-command.js');
      process.exitCode = await runConfigNew(words.join(' '), o);
    });
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export type { NewOptions };
