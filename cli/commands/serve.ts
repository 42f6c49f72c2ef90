import type { Command } from 'commander';
import { positiveNumber } from '../run/cli-runtime.js';

export interface ServeFlags {
  port: number;
  host: string;
  maxConcurrent: number;
  jitter: number;
  shutdownGrace: number;
  stateDir?: string;
}

const nonNegative = (v: string): number => (v === '0' ? 0 : positiveNumber(v));

export function register(program: Command): void {
  program
    .command('serve')
    .description('Run connections on their schedule and serve /healthz, /readyz, /metrics and /connections over HTTP')
    .argument('[paths...]', 'connection files, or folders of them (*.yaml, *.yml); default the current folder')
    .option('--port <n>', 'HTTP port', nonNegative, 8080)
    .option('--host <address>', 'address to bind (0.0.0.0 to listen on every interface; see the README before you do)', '127.0.0.1')
    .option('--max-concurrent <n>', 'syncs running at once, all connections together', positiveNumber, 4)
    .option('--jitter <seconds>', 'random delay of at most this much after each scheduled time', nonNegative, 10)
    .option('--shutdown-grace <seconds>', 'on SIGTERM, how long running syncs may finish before they are stopped (acknowledged state is committed either way)', nonNegative, 20)
    .option('--state-dir <dir>', 'folder of the file state store (default $AIRDOCK_HOME/state)')
    .action(async (paths: string[], flags: ServeFlags) => {
      const { serveCommand } = await import('../serve/serve-command.js');
      process.exitCode = await serveCommand(paths, flags);
    });
}
