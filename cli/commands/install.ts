import { Option, type Command } from 'commander';

/**
 * `install`, `uninstall`, `installed`: what the python and manifest executors keep under AIRDOCK_HOME
 * (venvs, cached manifests, the declarative runner), so that later runs need no network.
 */
export function register(program: Command): void {
  program.command('install')
    .description('Install a catalog connector to run without Docker: its PyPI package in a venv, or its manifest and the declarative runner')
    .argument('<name>', 'catalog name (source-faker) or manifest:<file>')
    .addOption(new Option('--executor <kind>', 'install for this executor').choices(['python', 'manifest']))
    .option('--version <version>', "this version instead of the registry's")
    .option('--json', 'print the result as JSON')
    .action(async (name: string, o: { executor?: 'python' | 'manifest'; version?: string; json?: boolean }) => {
      const { cliRuntime, interruptSignal } = await import('../run/cli-runtime.js');
      const { installConnector } = await import('../../runtime/install/install-connector.js');
      const runtime = await cliRuntime();
      const irq = interruptSignal();
      try {
        const resolved = await runtime.resolve(name, { ...(o.executor ? { executor: o.executor } : {}), ...(o.version ? { version: o.version } : {}) });
        const r = await installConnector(resolved, { envs: runtime.pythonEnvs, manifests: runtime.manifests }, { signal: irq.signal, log: runtime.log });
        if (o.json) return void process.stdout.write(`${JSON.stringify(r)}\n`);
        if (r.kind === 'installed') {
          process.stdout.write(`${r.name} ${r.version} ${r.already ? 'is already installed' : 'installed'} (${r.executor}: ${r.package})\n`);
        } else {
          const how = r.runsAs === 'image' ? `as its image ${r.image} (pulled on first run)` : r.runsAs === 'native' ? 'natively' : 'as a local program';
          process.stdout.write(`${r.name} runs ${how}: nothing to install\n`);
        }
      } finally {
        irq.dispose();
      }
    });

  program.command('uninstall')
    .description('Remove an installed connector (every version, or --version)')
    .argument('<name>', 'technical name as `airdock installed` lists it')
    .option('--version <version>', 'only this version')
    .action(async (name: string, o: { version?: string }) => {
      const { cliRuntime } = await import('../run/cli-runtime.js');
      const { uninstallConnector } = await import('../../runtime/install/install-connector.js');
      const runtime = await cliRuntime();
      const gone = await uninstallConnector(name, o.version, { envs: runtime.pythonEnvs, manifests: runtime.manifests });
      for (const g of gone) process.stdout.write(`removed ${g.name} ${g.version} (${g.executor}: ${g.package})\n`);
    });

  program.command('installed')
    .description('List installed connectors: name, version, executor, size, location')
    .option('--json', 'print the list as JSON')
    .action(async (o: { json?: boolean }) => {
      const { cliRuntime } = await import('../run/cli-runtime.js');
      const { listInstalled } = await import('../../runtime/install/installed-connectors.js');
      const runtime = await cliRuntime();
      const all = await listInstalled(runtime.pythonEnvs, runtime.manifests);
      if (o.json) return void process.stdout.write(`${JSON.stringify({ count: all.length, installed: all })}\n`);
      if (all.length === 0) return void process.stdout.write('nothing installed\n');
      const rows = [['NAME', 'VERSION', 'EXECUTOR', 'SIZE', 'LOCATION'],
        ...all.map((i) => [i.name, i.version, i.executor, `${(i.bytes / 1e6).toFixed(1)} MB`, i.location])];
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
      process.stdout.write(rows.map((r) => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c]!))).join('  ')).join('\n') + '\n');
    });
}
