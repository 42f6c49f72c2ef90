import type { ConnectorDefinition } from './run-connector.js';
import { runConnector } from './run-connector.js';

/**
 * The whole `main.ts` of a native connector: reads argv, runs the command on stdin/stdout, exits
 * 0 on success and 1 with a TRACE ERROR on failure. SIGTERM/SIGINT abort the context's signal.
 */
export function runCli(def: ConnectorDefinition, argv: readonly string[] = process.argv.slice(2)): void {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('Interrupted'));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // A reader that closed our stdout (e.g. `| head`) is not a connector failure.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });
  runConnector(def, argv, { stdout: process.stdout, stdin: process.stdin, signal: controller.signal }).then(
    (code) => { process.exitCode = code; },
    (error) => { process.stderr.write(`${String(error)}\n`); process.exitCode = 1; },
  ).finally(() => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    // A write that failed stopped reading stdin: an open, unread stdin pipe would keep the process
    // alive (and a writer blocked on it) after the TRACE ERROR.
    process.stdin.destroy();
    // The command is over and its output written. A client library may still hold a socket or a
    // timer (kafkajs reconnects a retried request after disconnect): whoever runs us waits for our
    // exit, so exit once stdout is flushed rather than when the last handle happens to close.
    process.stdout.write('', () => process.exit());
  });
}
