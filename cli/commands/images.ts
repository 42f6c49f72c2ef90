import type { Command } from 'commander';

interface BuildOptions { all?: boolean; base?: string; repo?: string; json?: boolean }

export function register(program: Command): void {
  const images = program.command('images').description('Docker images of the native connectors');
  images.command('build')
    .description('Build airdock/<connector>:<version> (and :dev) for native connectors, locally from a base image; prints each size')
    .argument('[names...]', 'connectors to build (source-faker ...); with --all or none: every native connector')
    .option('--all', 'every native connector of this build')
    .option('--base <image>', 'a local node 20 image to build on (default airdock-base/node:20, made by images/build-images.sh)')
    .option('--repo <prefix>', 'image repository prefix', 'airdock')
    .option('--json', 'one JSON document: the images, their sizes and build times')
    .action(async (names: string[], o: BuildOptions) => {
      const { imagesBuildCommand } = await import('../images/images-build-command.js');
      process.exitCode = await imagesBuildCommand(o.all ? [] : names, o);
    });
}

export type { BuildOptions };
