import { describe, expect, it } from 'vitest';
import { metadataBaseUrl } from '../../catalog/index.js';
import { consoleScripts, normalizeProject } from './dist-info.js';
import { atLeast } from './find-python.js';
import { installFailure } from './install-failure.js';
import { maskUrlCredentials } from './run-tool.js';

const result = (...tail: string[]) => ({ code: 1, signal: null, tail });

describe('what a failed pip or uv step means', () => {
  it('pip: no such package or version → AIRDOCK_PACKAGE_NOT_FOUND (a config error: exit 2)', () => {
    const err = installFailure(result('ERROR: Could not find a version that satisfies the requirement airbyte-source-nope==1.0 (from versions: none)',
      'ERROR: No matching distribution found for airbyte-source-nope==1.0'), { step: 'install', installer: 'pip', requirement: 'airbyte-source-nope==1.0' });
    expect(err).toMatchObject({ code: 'AIRDOCK_PACKAGE_NOT_FOUND', failureType: 'config_error' });
    expect((err as { describe(): string }).describe()).toMatch(/requirement="airbyte-source-nope==1.0".*Check the name and --version/);
  });

  it('a version that needs another Python says so', () => {
    const err = installFailure(result('ERROR: Ignored the following versions that require a different python version: 7.2.1 Requires-Python >=3.10,<3.13',
      'ERROR: No matching distribution found for airbyte-source-faker==7.2.1'), { step: 'install', installer: 'pip', requirement: 'airbyte-source-faker==7.2.1' });
    expect((err as { describe(): string }).describe()).toMatch(/reason="needs another Python version".*AIRDOCK_PYTHON/);
  });

  it('uv: unsatisfiable → AIRDOCK_PACKAGE_NOT_FOUND', () => {
    const err = installFailure(result('× No solution found when resolving dependencies:',
      '╰─▶ Because airbyte-source-nope was not found in the package registry and you require airbyte-source-nope==1.0, we can conclude that your requirements are unsatisfiable.'),
    { step: 'install', installer: 'uv', requirement: 'airbyte-source-nope==1.0' });
    expect(err).toMatchObject({ code: 'AIRDOCK_PACKAGE_NOT_FOUND' });
  });

  it('a Python without venv support → install python3-venv or uv', () => {
    const err = installFailure(result('The virtual environment was not created successfully because ensurepip is not', 'available.  On Debian/Ubuntu systems, you need to install the python3-venv'),
      { step: 'venv', installer: 'pip', python: '/usr/bin/python3' });
    expect(err).toMatchObject({ code: 'AIRDOCK_INSTALL_FAILED' });
    expect((err as { hint: string }).hint).toMatch(/python3-venv/);
  });

  it('anything else → AIRDOCK_INSTALL_FAILED with the last lines (credentials masked before they get there)', () => {
    const err = installFailure(result('building wheel for x', 'error: command gcc failed'), { step: 'install', installer: 'pip', requirement: 'x==1' });
    expect(err).toMatchObject({ code: 'AIRDOCK_INSTALL_FAILED', retryable: true, context: { detail: 'building wheel for x | error: command gcc failed' } });
    expect(maskUrlCredentials('Looking in indexes: https://bob:s3cret@pypi.example/simple, http://tok@h/x')).toBe('Looking in indexes: https://***@pypi.example/simple, http://***@h/x');
  });
});

describe('python helpers', () => {
  it('reads console scripts from entry_points.txt', () => {
    expect(consoleScripts('[console_scripts]\nsource-faker = source_faker.run:run\n\n[other]\nx = y:z\n')).toEqual(['source-faker']);
    expect(consoleScripts('')).toEqual([]);
  });

  it('compares project names the PEP 503 way and versions by major.minor', () => {
    expect(normalizeProject('Airbyte_Source.Faker')).toBe('airbyte-source-faker');
    expect(atLeast('3.10.0', [3, 10])).toBe(true);
    expect(atLeast('3.9.18', [3, 10])).toBe(false);
    expect(atLeast('4.0.0', [3, 10])).toBe(true);
  });

  it('finds manifests beside the registry, or at the official location', () => {
    expect(metadataBaseUrl('http://127.0.0.1:9/files/registries/v0/oss_registry.json')).toBe('http://127.0.0.1:9/files/metadata');
    expect(metadataBaseUrl(undefined)).toMatch(/^https:\/\/[^/]+\/files\/metadata$/);
    expect(metadataBaseUrl('./my-registry.json')).toBe(metadataBaseUrl(undefined));
  });
});

describe('the pinned declarative runner', () => {
  it('is the airbyte-cdk version the CI wheelhouse holds (images/versions.env CDK_VERSION)', async () => {
    const { readFileSync } = await import('node:fs');
    const { DEFAULT_CDK_VERSION } = await import('./manifest-store.js');
    const versions = readFileSync(new URL('../../images/versions.env', import.meta.url), 'utf8');
    expect(versions).toContain(`CDK_VERSION=${DEFAULT_CDK_VERSION}\n`);
  });
});
