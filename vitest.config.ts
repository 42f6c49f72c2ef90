import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node (and never the built CLI); `integration` needs the
// build and the services that scripts/ci-setup.sh starts (Docker, PostgreSQL, images): test/component
// (the CLI and real processes, no Docker), test/integration and test/e2e. `npm test` runs both.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{protocol,runtime,catalog,native-connectors,cli}/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/architecture.test.ts'],
          testTimeout: 30_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/{component,integration,e2e}/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          pool: 'forks',
          // One file at a time: each file's afterAll asserts that no airdock container or process is left,
          // which only means something when no other file is running connectors at that moment.
          fileParallelism: false,
        },
      },
    ],
  },
});
