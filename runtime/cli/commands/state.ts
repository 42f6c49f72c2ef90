import type { Command } from 'commander';
import { notBuilt } from '../not-built.js';

export function register(program: Command): void {
  program.command('state').description('(not built yet)').allowUnknownOption().allowExcessArguments().action(notBuilt('state'));
}
