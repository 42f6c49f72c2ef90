import type { Command } from 'commander';
import { notBuilt } from '../not-built.js';

export function register(program: Command): void {
  program.command('check').description('(not built yet)').allowUnknownOption().allowExcessArguments().action(notBuilt('check'));
}
