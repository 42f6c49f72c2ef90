import type { ConnectorEntry } from './entry.js';

/**
 * The ways airdock can run a catalog connector: our TypeScript implementation, the registry's PyPI
 * package in a venv, its declarative manifest on the Python CDK's runner, or its Docker image.
 */
export type ExecutorKind = 'native' | 'python' | 'manifest' | 'image';
export const EXECUTOR_KINDS: readonly ExecutorKind[] = ['native', 'python', 'manifest', 'image'];

/** Every executor a connector can run on, in the order a bare name tries them. */
export function executorsOf(e: ConnectorEntry): ExecutorKind[] {
  const out: ExecutorKind[] = [];
  if (e.native) out.push('native');
  if (e.manifestOnly) out.push('manifest');
  if (e.pypiPackage) out.push('python');
  if (e.hasImage) out.push('image');
  return out;
}

/**
 * What the registry itself would run the connector with when airdock has no native one: the
 * declarative runner for a manifest-only connector, the PyPI package for a published Python one
 * (what PyAirbyte does), the image for the rest (Java, third-party images).
 */
export function registryExecutor(e: ConnectorEntry): ExecutorKind | undefined {
  return executorsOf(e).find((k) => k !== 'native');
}
