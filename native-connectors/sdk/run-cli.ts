import type { ConnectorDefinition } from './run-connector.js';
import { runConnector } from './run-connector.js';
import { StdinReader } from './stdin-reader.js';

/** How long a finished command's leftover handles may keep the process alive. */
const EXIT_GRACE_MS = 3_000;

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
  // A destination's input read into one reused buffer (see StdinReader); a file or a terminal as stdin
  // goes through Node's own stream.
  const reader = argv[0] === 'write' ? StdinReader.open(0) : undefined;
  runConnector(def, argv, { stdout: process.stdout, stdin: reader ?? process.stdin, signal: controller.signal }).then(
    (code) => { process.exitCode = code; },
    (error) => { process.stderr.write(`${String(error)}\n`); process.exitCode = 1; },
  ).finally(() => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    // A write that failed stopped reading stdin: an open, unread stdin pipe would keep the process
    // alive (and a writer blocked on it) after the TRACE ERROR.
    (reader ?? process.stdin).destroy();
    // The command is over. Work it started and did not await (an upload abort on SIGTERM) may still
    // finish, but a client library may also hold a socket or a timer for good (kafkajs reconnects a
    // retried request after disconnect), and whoever runs us waits for our exit: give the rest a
    // grace period, then exit once stdout is flushed. Unref'd: a process with nothing left exits at once.
    setTimeout(() => process.stdout.write('', () => process.exit()), EXIT_GRACE_MS).unref();
  });
}
