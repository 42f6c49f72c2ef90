import { Option, type Command } from 'commander';
import { positiveNumber, streamList } from '../run/cli-runtime.js';

interface TestOptions {
  config?: string;
  acceptance?: string;
  suite?: string[];
  junit?: string;
  json?: boolean;
  timeout?: number;
  kind?: 'source' | 'destination';
  previous?: string;
  pull?: 'missing' | 'always' | 'never';
  network?: string;
  verbose?: boolean;
}

export function register(program: Command): void {
  program.command('test')
    .description("Run Airbyte's connector acceptance tests (CAT's suites) on any connector: exit 0 all passed, 1 a test failed, 2 bad invocation")
    .argument('[ref]', "image (repo:tag), native:<name>, ./program or a catalog name; default the file's connector_image")
    .option('--config <file>', 'the valid connector config (replaces config_path; alone, the tests are built around it)')
    .option('--acceptance <file>', "an acceptance-test-config.yml in CAT's format (paths relative to its folder)")
    .option('--suite <a,b>', 'only these suites: spec, connection, discovery, basic_read, full_refresh, incremental, write', streamList)
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--json', 'print the results as one JSON document on stdout (test lines go to stderr)')
    .option('--timeout <seconds>', 'time limit per test when the file sets no timeout_seconds', positiveNumber)
    .addOption(new Option('--kind <kind>', 'source or destination (default: from the name and the file)').choices(['source', 'destination']))
    .option('--previous <ref>', 'the previous version, for the backward compatibility tests')
    .addOption(new Option('--pull <policy>', 'when to pull the image').choices(['missing', 'always', 'never']).default('missing'))
    .option('--network <mode>', 'Docker network for an image (as CAT: the host network, so local services are reachable)', 'host')
    .option('--verbose', "show the connector's own log lines")
    .action(async (ref: string | undefined, o: TestOptions) => {
      const { testCommand } = await import('../test/test-command.js');
      process.exitCode = await testCommand(ref, o);
    });
}

export type { TestOptions };
