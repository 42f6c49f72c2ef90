import type { Command } from 'commander';

export function register(program: Command): void {
  const circuit = program.command('circuit').description('Show or reset the circuit breaker of a connection');
  const common = (c: Command) => c.option('--state-dir <dir>', 'folder of the file state store (default $AIRDOCK_HOME/state)');
  common(circuit.command('status').argument('<connection>', 'connection file, or a connection name (file store)').option('--json', 'machine-readable output')
    .description('Print the breaker: closed, open (until when) or half-open, and the consecutive failures'))
    .action(async (conn: string, flags: { stateDir?: string; json?: boolean }) => {
      const m = await import('../sync/circuit-command.js');
      await m.circuitStatus(conn, flags);
    });
  common(circuit.command('reset').argument('<connection>', 'connection file or name').description('Close the breaker: the next sync runs'))
    .action(async (conn: string, flags: { stateDir?: string }) => {
      const m = await import('../sync/circuit-command.js');
      await m.circuitReset(conn, flags);
    });
}
