import { UsageError } from '../../protocol/errors/index.js';

/** Placeholder action for a command of the CLI contract that is not implemented yet. */
export function notBuilt(command: string): () => never {
  return () => {
    throw new UsageError(`\`airdock ${command}\` is not built yet`, { hint: 'See the README for the commands available in this version' });
  };
}
