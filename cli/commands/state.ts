import type { Command } from 'commander';

export function register(program: Command): void {
  const state = program.command('state').description('Show, set or clear the committed state of a connection');
  const common = (c: Command) => c.option('--state-dir <dir>', 'folder of the file state store (default $AIRDOCK_HOME/state)');
  common(state.command('show').argument('<connection>', 'connection file, or a connection name (file store)').description('Print the committed state (JSON array)'))
    .option('--raw', 'print the stored text as it is, without parsing it (to see a corrupt state)')
    .action(async (conn: string, flags: { stateDir?: string; raw?: boolean }) => {
      const m = await import('../sync/state-command.js');
      await m.showState(conn, flags);
    });
  common(state.command('set').argument('<connection>', 'connection file or name').argument('<file>', 'state JSON file (array of state messages, or - for stdin)').description('Replace the committed state (validated first)'))
    .action(async (conn: string, file: string, flags: { stateDir?: string }) => {
      const m = await import('../sync/state-command.js');
      await m.setState(conn, file, flags);
    });
  common(state.command('clear').argument('<connection>', 'connection file or name').description('Forget the committed state: the next sync starts over'))
    .action(async (conn: string, flags: { stateDir?: string }) => {
      const m = await import('../sync/state-command.js');
      await m.clearState(conn, flags);
    });
}
