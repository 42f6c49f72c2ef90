/**
 * airdock's command line. Each command lives in ./commands/<name>.ts, which declares its options
 * and lazily imports its implementation, so `airdock catalog search` does not pay for dockerode.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { cliRedactor } from './cli-redactor.js';
import { redactProcessOutput } from './redact-output.js';
import { reportError } from './report-error.js';
import { register as registerSpec } from './commands/spec.js';
import { register as registerCheck } from './commands/check.js';
import { register as registerDiscover } from './commands/discover.js';
import { register as registerRead } from './commands/read.js';
import { register as registerWrite } from './commands/write.js';
import { register as registerSync } from './commands/sync.js';
import { register as registerState } from './commands/state.js';
import { register as registerCatalog } from './commands/catalog.js';
import { register as registerProtocol } from './commands/protocol.js';
import { register as registerConfig } from './commands/config.js';
import { register as registerSuggest } from './commands/suggest.js';
import { register as registerInstall } from './commands/install.js';
import { register as registerImages } from './commands/images.js';
import { register as registerTest } from './commands/test.js';
import { register as registerHealth } from './commands/health.js';
import { register as registerCircuit } from './commands/circuit.js';
import { register as registerServe } from './commands/serve.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('airdock')
    .description('Run Airbyte connectors (Docker images or native TypeScript) and sync data with resumable state.')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride()
    // Program options only before the command, so that `airdock spec x --version 7.2.1` is the
    // command's --version (a package version), not the program's.
    .enablePositionalOptions();
  for (const register of [registerSpec, registerCheck, registerDiscover, registerRead, registerWrite, registerSync,
    registerState, registerCatalog, registerProtocol, registerConfig, registerSuggest, registerTest, registerHealth, registerCircuit, registerServe, registerInstall, registerImages]) {
    register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // Before anything can print: every byte on stdout and stderr passes the redactor from here on.
  redactProcessOutput(cliRedactor);
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage mistakes with 1, which we map to 2.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(err);
  }
}
