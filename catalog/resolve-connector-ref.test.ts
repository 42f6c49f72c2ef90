import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectorNotFoundError, ExecutorUnavailableError, isAirdockError, UsageError } from '../protocol/errors/index.js';
import { executorsOf, isBareName, loadNativeOverlay, parseRegistry, Registry, registryExecutor, resolveConnectorRef } from './index.js';
import { snapshotPath, snapshotText } from '../test/support/registry-fixtures.js';

let registry: Registry;
beforeAll(() => {
  registry = new Registry(parseRegistry(snapshotText(), snapshotPath).entries, {
    source: { origin: 'file', location: snapshotPath }, natives: loadNativeOverlay(),
  });
});

describe('resolveConnectorRef', () => {
  it('resolves a name with a native implementation to the native connector', () => {
    expect(resolveConnectorRef('source-faker', { registry })).toMatchObject({ kind: 'native', name: 'source-faker' });
    expect(resolveConnectorRef('destination-duckdb', { registry })).toMatchObject({ kind: 'native', name: 'destination-duckdb' });
    expect(resolveConnectorRef('Destination-Postgres', { registry })).toMatchObject({ kind: 'native', name: 'destination-postgres' });
  });

  it('resolves to the image instead with prefer=image', () => {
    expect(resolveConnectorRef('source-faker', { registry, prefer: 'image' }))
      .toMatchObject({ kind: 'image', image: 'airbyte/source-faker:6.2.24' });
  });

  it('resolves a name without a native implementation to repository:tag', () => {
    expect(resolveConnectorRef('source-mysql', { registry })).toMatchObject({ kind: 'image', image: 'airbyte/source-mysql:3.51.5' });
    expect(resolveConnectorRef('Destination-Snowflake', { registry })).toMatchObject({ image: 'airbyte/destination-snowflake:4.0.39' });
  });

  it('resolves source-postgres to the native connector, the image with prefer=image', () => {
    const r = resolveConnectorRef('source-postgres', { registry });
    expect(r).toMatchObject({ kind: 'native', name: 'source-postgres' });
    expect(r.entry.definitionId).toBe('decd338e-5647-4c0b-adf4-da0e75f5a750');
    expect(resolveConnectorRef('source-postgres', { registry, prefer: 'image' })).toMatchObject({ kind: 'image', image: 'airbyte/source-postgres:3.7.2' });
  });

  it("resolves a manifest-only connector to the declarative runner, a PyPI one to its package, at the registry's version", () => {
    expect(resolveConnectorRef('source-rocket-chat', { registry })).toMatchObject({ kind: 'manifest', version: '0.2.25' });
    expect(resolveConnectorRef('source-faker', { registry, executor: 'python' }))
      .toMatchObject({ kind: 'python', package: 'airbyte-source-faker', version: '6.2.24' });
    expect(resolveConnectorRef('source-github', { registry })).toMatchObject({ kind: 'python', package: 'airbyte-source-github' });
  });

  it('forces an executor, and names the ones a connector has when it lacks the one asked for', () => {
    expect(resolveConnectorRef('source-rocket-chat', { registry, executor: 'image' })).toMatchObject({ kind: 'image' });
    const err = (() => { try { resolveConnectorRef('source-mysql', { registry, executor: 'python' }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ExecutorUnavailableError);
    expect((err as ExecutorUnavailableError).describe()).toMatch(/AIRDOCK_EXECUTOR_UNAVAILABLE: .*executor="python", available="image".*--executor image/);
  });

  it('fails on an unknown name with "did you mean" suggestions', () => {
    let err: unknown;
    try {
      resolveConnectorRef('source-postgress', { registry });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectorNotFoundError);
    const e = err as ConnectorNotFoundError;
    expect(e.suggestions[0]).toBe('source-postgres');
    expect(e.describe()).toMatch(/AIRDOCK_CONNECTOR_NOT_FOUND: .*"source-postgress".*Did you mean source-postgres/);
  });

  it('refuses refs that are not bare names: those are for the runtime', () => {
    expect(() => resolveConnectorRef('airbyte/source-faker:6.2.1', { registry })).toThrow(UsageError);
    expect(() => resolveConnectorRef('native:source-faker', { registry })).toThrow(UsageError);
  });
});

describe('executors of a catalog entry', () => {
  it.each([
    ['source-faker', ['native', 'python', 'image'], 'python'],
    ['source-rocket-chat', ['manifest', 'image'], 'manifest'],
    ['source-mysql', ['image'], 'image'],
    ['destination-duckdb', ['native', 'image'], 'image'],
  ])('%s runs on %j; without a native one the registry picks %s', (name, kinds, preferred) => {
    const e = registry.get(name)!;
    expect(executorsOf(e)).toEqual(kinds);
    expect(registryExecutor(e)).toBe(preferred);
  });

  it('filters the list by executor', () => {
    const python = registry.list({ executor: 'python' });
    expect(python.length).toBe(64);
    expect(python.every((e) => e.pypiPackage)).toBe(true);
    expect(registry.list({ executor: 'manifest' }).every((e) => e.language === 'manifest-only')).toBe(true);
  });
});

describe('isBareName', () => {
  it.each(['source-faker', 'Postgres', 'dfd88b22-b603-4c3d-aad7-3701784586b1'])('%s is a bare name', (r) => {
    expect(isBareName(r)).toBe(true);
  });
  it.each(['airbyte/source-faker:6.2.1', 'airbyte/source-faker', 'native:source-faker', 'file:/x', './bin/conn', '../x', '/abs', ''])(
    '%s is not', (r) => {
      expect(isBareName(r)).toBe(false);
    });
  it('errors are airdock errors (one clear line in the CLI)', () => {
    let err: unknown;
    try {
      resolveConnectorRef('nope-nope-nope', { registry });
    } catch (e) {
      err = e;
    }
    expect(isAirdockError(err)).toBe(true);
  });
});
